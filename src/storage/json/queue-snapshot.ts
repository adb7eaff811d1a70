/**
 * The queue indexes of every client in data/queue-index.json, so an open does not read two files of
 * each of 200,000 entries to rebuild them (8.9 s warm, close to a minute cold → under 2 s).
 *
 *   { "version": 1, "clients": { "<client>": [[id, definition, source_system, external_id,
 *                                               seated_at, completed_at, state, due], …] } }
 *
 * The rule that makes it safe: the snapshot and the journals on disk together tell every change. It is
 * saved before a checkpoint deletes the journals it sealed (journal.ts beforeRetire), and at open
 * before the replayed journals are deleted, whenever the open replayed a change to the queue or
 * rebuilt a client (a replay of log or plugin-state writes alone leaves it current).
 * So after a crash it is older than the files only by changes that are still in a journal: open
 * replays them and reads again just the entries they touched (their paths name them). A client
 * touched above its entries (removed, or written whole) is rebuilt. Entry folders that are not the
 * ones it lists (added or removed by hand, or a seat whose index update the snapshot missed) mean a
 * rebuild of that client, as does anything unreadable. Not kept: changes made to files by hand
 * while Databus is stopped, inside folders it lists (see the README).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ENTRY_STATES, type EntryState } from "../../core/queue-entry";
import { nextTurn } from "../../core/limited";
import { writeAtomic } from "./files";
import { dedupeKey, type ClientIndex, type IndexItem } from "./memory-index";

const VERSION = 1;
export const SNAPSHOT_FILE = "queue-index.json";

type Row = [string, string, string, string, string, string | null, EntryState, string | null];

interface Snapshot {
  version: number;
  clients: Record<string, Row[]>;
}

/** Writes the snapshot of the given indexes (their changes' files must be durable: see the rule above). */
export async function saveSnapshot(dataDir: string, indexes: ReadonlyMap<string, ClientIndex>): Promise<void> {
  await writeAtomic(join(dataDir, SNAPSHOT_FILE), await snapshotChunks(indexes));
}

/** Entries made into text per turn of the event loop (~7 ms here). */
export const SNAPSHOT_SLICE = 5000;

/**
 * The snapshot's bytes in chunks, made SNAPSHOT_SLICE entries at a time with a turn of the event
 * loop between (`pause`): at 200,000 entries the whole took ~0.3 s of the dispatcher's thread in one
 * piece, at every checkpoint of a busy queue, and the console and the runs waited for it; now the
 * longest turn is 12–19 ms. Each slice is encoded as it is made and written as a chunk of its own:
 * joined into one text or buffer, the copy (25 MB of fresh memory) took another ~30 ms in one piece.
 * Safe although the queue changes between slices: each client's order is copied first (an entry
 * seated or removed meanwhile is in the journal the checkpoint keeps, and open reads the entries that
 * journal touches again), and a slice that reads an entry's newer state reads one acknowledged, so
 * durable in that same journal. Snapshot and journals on disk still tell every change.
 */
export async function snapshotChunks(indexes: ReadonlyMap<string, ClientIndex>, pause: () => Promise<void> = nextTurn): Promise<Buffer[]> {
  const parts: Buffer[] = [Buffer.from(`{"version":${VERSION},"clients":{`)];
  let sinceBreak = 0;
  let first = true;
  for (const [client, index] of [...indexes]) {
    const items = index.all().slice();
    parts.push(Buffer.from(`${first ? "" : ","}${JSON.stringify(client)}:[`));
    first = false;
    for (let at = 0; at < items.length; at += SNAPSHOT_SLICE) {
      if (sinceBreak >= SNAPSHOT_SLICE) {
        await pause();
        sinceBreak = 0;
      }
      const rows = items.slice(at, at + SNAPSHOT_SLICE).map(rowOf);
      sinceBreak += rows.length;
      const text = JSON.stringify(rows);
      parts.push(Buffer.from(at === 0 ? text.slice(1, -1) : `,${text.slice(1, -1)}`));
    }
    parts.push(Buffer.from("]"));
  }
  parts.push(Buffer.from("}}"));
  return parts;
}

/** The items per client, or undefined when there is no snapshot or it cannot be read whole. */
export async function readSnapshot(dataDir: string): Promise<Map<string, IndexItem[]> | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, SNAPSHOT_FILE), "utf8");
  } catch {
    return undefined; // none (the first start, or a store from before snapshots)
  }
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

/**
 * What replayed journal paths (relative to data/) changed in each client's queue: the entry ids, or
 * "all" when a change was above the entries (the client or its queue folder as a whole).
 */
export function touchedEntries(paths: Iterable<string>): Map<string, Set<string> | "all"> {
  const out = new Map<string, Set<string> | "all">();
  for (const path of paths) {
    const [top, client, area, id] = path.split("/");
    if (top !== "clients" || !client) continue;
    if (area !== undefined && area !== "queue") continue; // logs, config, state: not in the queue index
    if (id === undefined) out.set(client, "all");
    else {
      const ids = out.get(client) ?? new Set<string>();
      if (ids !== "all") out.set(client, ids.add(id));
    }
  }
  return out;
}

/** True when the folder names are exactly the index's ids (looked up in its own map: no set of 200,000 names built for it). */
export function matchesFolders(index: Pick<ClientIndex, "size" | "has">, ids: readonly string[]): boolean {
  return index.size === ids.length && ids.every((id) => index.has(id));
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
