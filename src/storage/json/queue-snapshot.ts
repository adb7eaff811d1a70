/**
 * The queue indexes of every client, saved at a clean close to data/queue-index.json, so the next
 * open does not read two files of each of 200,000 entries to rebuild them (8.9 s → well under 1 s).
 *
 *   { "version": 1, "clients": { "<client>": [[id, definition, source_system, external_id,
 *                                               seated_at, completed_at, state, due], …] } }
 *
 * Trusted only when it can be right: the journal was empty at open (the last stop was clean), and the
 * entry folders of the client are exactly the ids it lists. It is removed, durably, as soon as it is
 * read: after that the queue changes and only the next clean close may write it again. Anything
 * unexpected (missing, unreadable, another version, other folders) means the full rebuild, as before.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { ENTRY_STATES, type EntryState } from "../../core/queue-entry";
import { syncDir, writeAtomic } from "./files";
import { dedupeKey, type ClientIndex, type IndexItem } from "./memory-index";

const VERSION = 1;
export const SNAPSHOT_FILE = "queue-index.json";

type Row = [string, string, string, string, string, string | null, EntryState, string | null];

interface Snapshot {
  version: number;
  clients: Record<string, Row[]>;
}

/** Writes the snapshot of the given indexes (after the journal's last checkpoint: the files agree with it). */
export async function saveSnapshot(dataDir: string, indexes: ReadonlyMap<string, ClientIndex>): Promise<void> {
  const clients: Record<string, Row[]> = {};
  for (const [client, index] of indexes) clients[client] = index.all().map(rowOf);
  await writeAtomic(join(dataDir, SNAPSHOT_FILE), JSON.stringify({ version: VERSION, clients } satisfies Snapshot));
}

/**
 * Reads and removes the snapshot. Returns the items per client, or undefined when there is none worth
 * trusting (`clean` false: the journal had changes to replay, so the snapshot may be older than the files).
 */
export async function takeSnapshot(dataDir: string, clean: boolean): Promise<Map<string, IndexItem[]> | undefined> {
  const path = join(dataDir, SNAPSHOT_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined; // none (the first start, or the last stop was not clean)
  }
  // Removed before the queue can change, and durably: a snapshot that outlived a crash would be stale.
  await rm(path, { force: true });
  await syncDir(dataDir);
  if (!clean) return undefined;
  try {
    const parsed = JSON.parse(text) as Snapshot;
    if (parsed.version !== VERSION || typeof parsed.clients !== "object" || parsed.clients === null) return undefined;
    const out = new Map<string, IndexItem[]>();
    for (const [client, rows] of Object.entries(parsed.clients)) {
      if (!Array.isArray(rows) || !rows.every(isRow)) return undefined;
      out.set(client, rows.map(itemOf));
    }
    return out;
  } catch {
    return undefined; // cut short or damaged: rebuild from the folders
  }
}

/** True when the folder names are exactly the snapshot's ids. */
export function matchesFolders(items: readonly IndexItem[], ids: readonly string[]): boolean {
  if (items.length !== ids.length) return false;
  const known = new Set(ids);
  return items.every((i) => known.has(i.id));
}

const rowOf = (i: IndexItem): Row => {
  const [source, external] = splitKey(i.key);
  return [i.id, i.definition, source, external, i.seated_at, i.completed_at, i.state, i.due];
};

const itemOf = ([id, definition, source, external, seated_at, completed_at, state, due]: Row): IndexItem => ({
  id,
  definition,
  key: dedupeKey(source, external),
  search: `${external}\n${source}`.toLowerCase(),
  seated_at,
  completed_at,
  state,
  due,
});

function splitKey(key: string): [string, string] {
  const cut = key.indexOf("\u0000");
  return [key.slice(0, cut), key.slice(cut + 1)];
}

const isText = (v: unknown): v is string => typeof v === "string";
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === "string";

function isRow(r: unknown): r is Row {
  return (
    Array.isArray(r) && r.length === 8 && isText(r[0]) && isText(r[1]) && isText(r[2]) && isText(r[3]) && isText(r[4]) &&
    isTextOrNull(r[5]) && (ENTRY_STATES as readonly unknown[]).includes(r[6]) && isTextOrNull(r[7])
  );
}
