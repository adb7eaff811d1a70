/**
 * Process, then push, a chunk of entries at a time. Within a chunk, entries are processed a bounded
 * number at a time (each entry's steps stay in order), then every pusher gets the chunk's entries
 * that are ready — in one batch when it has `pushBatch`.
 * Working on many entries at once lets their store writes share one durable commit.
 */
import type { QueueEntry } from "../../core/queue-entry";
import { isStepFinished } from "../../core/step-status";
import type { Run } from "../run-context";
import { mapLimited } from "./limited";
import { toPassenger } from "./outcome";
import { processEntry, type ReadyToPush } from "./process";
import { PUSH_BATCH_SIZE, pushReady } from "./push";

/** How many entries of one run are worked on at once; plugins see calls overlap up to this many. */
export const ENTRY_CONCURRENCY = 16;

/** Entries go through process and push in chunks, so the first deliveries never wait for a whole batch. */
export const DELIVERY_CHUNK = PUSH_BATCH_SIZE;

export async function deliverEntries(run: Run, entries: QueueEntry[]): Promise<void> {
  const work = entries.filter((e) => e.steps.some((s, i) => i > 0 && !isStepFinished(s)));
  for (let i = 0; i < work.length && run.shouldContinue(); i += DELIVERY_CHUNK) {
    const ready = await mapLimited(work.slice(i, i + DELIVERY_CHUNK), ENTRY_CONCURRENCY, async (entry): Promise<ReadyToPush | null> => {
      if (!run.shouldContinue()) return null;
      const passenger = toPassenger(run, await run.db.getPassenger(run.client, entry.passenger.id));
      await run.db.linkLog(run.client, entry.passenger.id, run.log.id);
      return processEntry(run, entry, passenger);
    });
    await pushReady(run, ready.filter((r): r is ReadyToPush => r !== null), ENTRY_CONCURRENCY);
  }
}
