/**
 * Building the memory index of a client's queue from its entry folders (at open) and from entries
 * (after each change). Folders left by interrupted writes are swept; damaged entries are reported.
 */
import { isUuid } from "../../core/ids";
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

/** The index, plus the entry folders that are not what the store writes (left for the caller to quarantine). */
export async function rebuildIndex(layout: Layout, client: string): Promise<{ index: ClientIndex; damaged: DamagedEntry[] }> {
  const dir = layout.queueDir(client);
  // Temp folders of interrupted seats and deletes, and temp files of interrupted entry writes.
  const ids = (await sweepTemps(dir)).filter(isUuid);
  const items: IndexItem[] = [];
  const damaged: DamagedEntry[] = [];
  // Synchronous reads on purpose: nothing else runs during open(), and for thousands of small files
  // they are several times faster than promise-based reads (no thread-pool round trip per file).
  for (const id of ids) {
    const read = readEntryItem(layout, client, id);
    if ("reason" in read) damaged.push(read);
    else items.push(read);
  }
  const index = new ClientIndex();
  index.addAll(items);
  return { index, damaged };
}
