/**
 * Building the memory index of a client's queue from its entry folders (at open) and from entries
 * (after each change). Folders left by interrupted writes are swept; unreadable entries are skipped.
 */
import { isUuid } from "../../core/ids";
import type { PassengerRecord } from "../../core/passenger";
import type { QueueEntry } from "../../core/queue-entry";
import { readFileSync } from "node:fs";
import type { StoredPassenger, StoredStatus } from "./entry-files";
import { listNames, sweepTemps } from "./files";
import type { Layout } from "./layout";
import { ClientIndex, dedupeKey, summariseSteps, type IndexItem } from "./memory-index";

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

/** The index, plus the ids of entry folders that could not be read (left on disk, not listed). */
export async function rebuildIndex(layout: Layout, client: string): Promise<{ index: ClientIndex; unreadable: string[] }> {
  const dir = layout.queueDir(client);
  await sweepTemps(dir);
  const ids = (await listNames(dir)).filter(isUuid);
  const items: IndexItem[] = [];
  const unreadable: string[] = [];
  // Synchronous reads on purpose: nothing else runs during open(), and for thousands of small files
  // they are several times faster than promise-based reads (no thread-pool round trip per file).
  for (const id of ids) {
    try {
      const p = JSON.parse(readFileSync(layout.passengerFile(client, id), "utf8")) as StoredPassenger;
      const s = JSON.parse(readFileSync(layout.statusFile(client, id), "utf8")) as StoredStatus;
      if (Array.isArray(s.steps)) items.push(indexItem(p, s));
      else unreadable.push(id);
    } catch {
      // A missing or corrupt file must not stop the queue from opening; the entry stays on disk for a person.
      unreadable.push(id);
    }
  }
  const index = new ClientIndex();
  index.addAll(items);
  return { index, unreadable };
}
