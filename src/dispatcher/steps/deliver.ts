/**
 * Process, then push. Entries are processed a bounded number at a time (each entry's steps stay in
 * order), then every pusher gets the entries that are ready — in batches when it has `pushBatch`.
 * Working on many entries at once lets their store writes share one durable commit.
 */
import type { QueueEntry } from "../../core/queue-entry";
import { isStepFinished } from "../../core/step-status";
import type { Run } from "../run-context";
import { mapLimited } from "./limited";
import { toPassenger } from "./outcome";
import { processEntry, type ReadyToPush } from "./process";
import { pushReady } from "./push";

/** How many entries of one run are worked on at once; plugins see calls overlap up to this many. */
export const ENTRY_CONCURRENCY = 16;

export async function deliverEntries(run: Run, entries: QueueEntry[]): Promise<void> {
  const work = entries.filter((e) => e.steps.some((s, i) => i > 0 && !isStepFinished(s)));
  const ready = await mapLimited(work, ENTRY_CONCURRENCY, async (entry): Promise<ReadyToPush | null> => {
    if (!run.shouldContinue()) return null;
    const passenger = toPassenger(run, await run.db.getPassenger(run.client, entry.passenger.id));
    await run.db.linkLog(run.client, entry.passenger.id, run.log.id);
    return processEntry(run, entry, passenger);
  });
  await pushReady(run, ready.filter((r): r is ReadyToPush => r !== null), ENTRY_CONCURRENCY);
}
