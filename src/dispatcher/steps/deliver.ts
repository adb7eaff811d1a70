/**
 * Process, then push, a chunk of entries at a time. Within a chunk every entry is worked on at once
 * (each entry's steps stay in order), but plugin calls pass through ENTRY_CONCURRENCY slots; then every
 * pusher gets the chunk's entries that are ready — in one batch when it has `pushBatch`, else entry
 * by entry with the entry's other pushers (push.ts).
 * Only the plugin calls hold a slot, not the store writes that record their outcome: the whole chunk's
 * writes then share a few durable commits (a commit is an fsync: recording 16 at a time made a chunk of
 * 100 wait for ~28 of them in a row), gathered into one store call per turn (step-recorder.ts).
 */
import type { QueueEntry } from "../../core/queue-entry";
import { isStepFinished } from "../../core/step-status";
import type { Run } from "../run-context";
import { slots } from "../../core/slots";
import { toPassenger } from "./outcome";
import { processEntry, type ReadyToPush } from "./process";
import { PUSH_BATCH_SIZE, pushReady } from "./push";

/** How many plugin calls of one run overlap at most. */
export const ENTRY_CONCURRENCY = 16;

/**
 * Entries go through process and push in chunks, so the first deliveries never wait for a whole
 * batch. Each chunk waits for a few commits (its step changes are recorded together, see
 * step-recorder.ts): chunks of 500 rather than 100 cut those waits fivefold (10,000 passengers:
 * ~1,750 → ~1,870/s here), and a chunk's entries fit the json store's entry cache many times over.
 */
export const DELIVERY_CHUNK = 5 * PUSH_BATCH_SIZE;

export async function deliverEntries(run: Run, entries: QueueEntry[]): Promise<void> {
  const work = entries.filter((e) => e.steps.some((s, i) => i > 0 && !isStepFinished(s)));
  const plugins = slots(ENTRY_CONCURRENCY);
  for (let i = 0; i < work.length && run.shouldContinue(); i += DELIVERY_CHUNK) {
    const ready = await Promise.all(
      work.slice(i, i + DELIVERY_CHUNK).map(async (entry): Promise<ReadyToPush | null> => {
        if (!run.shouldContinue()) return null;
        const data = await run.db.getPassenger(run.client, entry.passenger.id);
        // Entries seated by this run list its log already: no write for them.
        if (!data.log_ids.includes(run.log.id)) await run.db.linkLog(run.client, entry.passenger.id, run.log.id);
        const passenger = toPassenger(run, data);
        return processEntry(run, entry, passenger, plugins);
      }),
    );
    await pushReady(run, ready.filter((r): r is ReadyToPush => r !== null), plugins);
  }
}
