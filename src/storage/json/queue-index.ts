/**
 * Building the memory index of a client's queue from its entry folders (at open) and from entries
 * (after each change). Folders left by interrupted writes are swept; damaged entries are reported.
 */
import { isUuid } from "../../core/ids";
import { nextTurn } from "../../core/limited";
import type { PassengerRecord } from "../../core/passenger";
import type { QueueEntry } from "../../core/queue-entry";
import { readFileSync } from "node:fs";
import type { StoredPassenger, StoredStatus } from "./entry-files";
import { sweepTemps } from "./files";
import { PASSENGER_FILE, STATUS_FILE, type Layout } from "./layout";
import { ClientIndex, dedupeKey, summariseSteps, type IndexItem } from "./memory-index";
import { passengerProblem, statusProblem } from "./quarantine";

export function indexItem(p: PassengerRecord, e: Pick<QueueEntry, "steps" | "seated_at" | "completed_at">): IndexItem {
  return {
    id: p.id,
    definition: p.type,
    key: dedupeKey(p.source_system, p.external_id),
    search: `${p.external_id}\n${p.source_system}`.toLowerCase(),
    seated_at: e.seated_at,
    completed_at: e.completed_at,
    ...summariseSteps(e.steps),
  };
}

export interface DamagedEntry {
  id: string;
  reason: string;
}

/** Parsed JSON of one file, or why not. */
function readJsonSync(path: string, name: string): { value: unknown } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === "ENOENT" ? `${name} is missing` : `${name} cannot be read (${code ?? String(e)})` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { problem: text.length === 0 ? `${name} is empty` : `${name} is not valid JSON (cut short or damaged)` };
  }
}

/** One entry folder's index item, or why it is damaged (read synchronously: see rebuildIndex). */
export function readEntryItem(layout: Layout, client: string, id: string): IndexItem | DamagedEntry {
  const p = readJsonSync(layout.passengerFile(client, id), PASSENGER_FILE);
  const s = readJsonSync(layout.statusFile(client, id), STATUS_FILE);
  if ("problem" in p) return { id, reason: p.problem };
  if ("problem" in s) return { id, reason: s.problem };
  const problem = passengerProblem(p.value, id) ?? statusProblem(s.value);
  return problem !== null ? { id, reason: problem } : indexItem(p.value as StoredPassenger, s.value as StoredStatus);
}

/** Entry folders read between two turns of the event loop while an index is rebuilt. */
export const REBUILD_SLICE = 2000;

export interface RebuildOptions {
  progress?: (read: number, total: number) => void;
  /** Folders read per turn (REBUILD_SLICE; tests take fewer). */
  slice?: number;
}

/**
 * The index, plus the entry folders that are not what the store writes (left for the caller to
 * quarantine). `progress` hears how many folders are read, after each `slice` of them: at 200,000
 * entries on a cold disk a rebuild takes minutes, and the start says how far it is.
 */
export async function rebuildIndex(
  layout: Layout,
  client: string,
  { progress = () => {}, slice = REBUILD_SLICE }: RebuildOptions = {},
): Promise<{ index: ClientIndex; damaged: DamagedEntry[] }> {
  const dir = layout.queueDir(client);
  // Temp folders of interrupted seats and deletes, and temp files of interrupted entry writes.
  const ids = (await sweepTemps(dir)).filter(isUuid);
  const items: IndexItem[] = [];
  const damaged: DamagedEntry[] = [];
  // Synchronous reads on purpose: for thousands of small files they are several times faster than
  // promise-based reads (no thread-pool round trip per file). A turn of the event loop after each
  // slice, so the console (which answers while the store opens) and the progress lines go on.
  for (let at = 0; at < ids.length; at++) {
    if (at > 0 && at % slice === 0) {
      progress(at, ids.length);
      await nextTurn();
    }
    const read = readEntryItem(layout, client, ids[at]!);
    if ("reason" in read) damaged.push(read);
    else items.push(read);
  }
  const index = new ClientIndex();
  index.addAll(items);
  return { index, damaged };
}
