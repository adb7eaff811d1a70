/**
 * Building the memory index of a client's queue from its entry folders (at open) and from entries
 * (after each change). Folders left by interrupted writes are swept; damaged entries are reported.
 */
import { isUuid } from "../../core/ids";
import { mapLimited, nextTurn } from "../../core/limited";
import type { PassengerRecord } from "../../core/passenger";
import type { QueueEntry } from "../../core/queue-entry";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
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

type Parsed = { value: unknown } | { problem: string };

/** Parsed JSON of one file, or why not. */
function readJsonSync(path: string, name: string): Parsed {
  try {
    return parsed(readFileSync(path, "utf8"), name);
  } catch (e) {
    return unreadable(e, name);
  }
}

/** The same, read on the thread pool. */
async function readJson(path: string, name: string): Promise<Parsed> {
  try {
    return parsed(await readFile(path, "utf8"), name);
  } catch (e) {
    return unreadable(e, name);
  }
}

function parsed(text: string, name: string): Parsed {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { problem: text.length === 0 ? `${name} is empty` : `${name} is not valid JSON (cut short or damaged)` };
  }
}

function unreadable(e: unknown, name: string): Parsed {
  const code = (e as NodeJS.ErrnoException).code;
  return { problem: code === "ENOENT" ? `${name} is missing` : `${name} cannot be read (${code ?? String(e)})` };
}

/** One entry folder's index item, or why it is damaged (read synchronously: a few folders at a time). */
export function readEntryItem(layout: Layout, client: string, id: string): IndexItem | DamagedEntry {
  return entryItem(id, readJsonSync(layout.passengerFile(client, id), PASSENGER_FILE), readJsonSync(layout.statusFile(client, id), STATUS_FILE));
}

async function readEntryItemAsync(layout: Layout, client: string, id: string): Promise<IndexItem | DamagedEntry> {
  const [p, s] = await Promise.all([readJson(layout.passengerFile(client, id), PASSENGER_FILE), readJson(layout.statusFile(client, id), STATUS_FILE)]);
  return entryItem(id, p, s);
}

function entryItem(id: string, p: Parsed, s: Parsed): IndexItem | DamagedEntry {
  if ("problem" in p) return { id, reason: p.problem };
  if ("problem" in s) return { id, reason: s.problem };
  const problem = passengerProblem(p.value, id) ?? statusProblem(s.value);
  return problem !== null ? { id, reason: problem } : indexItem(p.value as StoredPassenger, s.value as StoredStatus);
}

/** Entry folders read between two progress reports while an index is rebuilt. */
export const REBUILD_SLICE = 2000;

/**
 * Entry folders read side by side while an index is rebuilt (their two files each, on the thread
 * pool), instead of one at a time synchronously, where every read waited for the disk alone: 200,000
 * folders after dropping the page cache took 49–65 s that way, 39–50 s now (three pairs; 128 at
 * once: no better); with the files cached, 7.1–7.7 s either way. BENCHMARKS.md, session 11.
 */
export const REBUILD_READS = 32;

export interface RebuildOptions {
  progress?: (read: number, total: number) => void;
  /** Folders read between two progress reports (REBUILD_SLICE; tests take fewer). */
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
  // A slice at a time, its folders REBUILD_READS at once; a turn of the event loop after each slice,
  // so the console (which answers while the store opens) and the progress lines go on.
  for (let start = 0; start < ids.length; start += slice) {
    if (start > 0) {
      progress(start, ids.length);
      await nextTurn();
    }
    const reads = await mapLimited(ids.slice(start, start + slice), REBUILD_READS, (id) => readEntryItemAsync(layout, client, id));
    for (const read of reads) {
      if ("reason" in read) damaged.push(read);
      else items.push(read);
    }
  }
  const index = new ClientIndex();
  index.addAll(items);
  return { index, damaged };
}
