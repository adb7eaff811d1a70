/**
 * One run of one client passenger, read as the pipeline of DESIGN §3:
 * pull → seat → notify → process → push → purge. Each step lives in steps/.
 */
import { iso } from "../core/clock";
import { reasonOf } from "../core/errors";
import type { RunCounts } from "../core/log";
import type { QueueEntry } from "../core/queue-entry";
import { lowDiskWarning } from "./disk-space";
import type { Run } from "./run-context";
import { deliverEntries } from "./steps/deliver";
import { notifyPullers } from "./steps/notify";
import { pullAll } from "./steps/pull";
import { purgeExpired } from "./steps/purge";
import { mapLimited } from "../core/limited";
import { seatPassengers } from "./steps/seat";

export async function runPassengerDefinition(run: Run): Promise<RunCounts> {
  try {
    const low = await lowDiskWarning(run.home, run.freeSpace);
    if (low) run.log.warning("dispatcher", `${low.code} ${low.message} ${low.hint}`);
    const pulled = await pullAll(run);
    run.counts.pulled = pulled.length;
    await seatPassengers(run, pulled);
    await run.log.flush();
    const due = await notifyPullers(run, await dueEntries(run));
    await deliverEntries(run, due);
    await purgeExpired(run);
  } catch (e) {
    // A store failure (disk full, unreadable file) ends this run; what was stored stays stored.
    run.log.error("dispatcher", `The run stopped early: ${reasonOf(e)}`);
  } finally {
    const { pulled, seated, delivered, failed } = run.counts;
    // A run with nothing to tell leaves no log (run-log.ts); its end still reaches events and /metrics.
    if (!(run.log.empty && pulled + seated + delivered + failed === 0)) {
      run.log.info("dispatcher", `Run finished: ${pulled} pulled, ${seated} seated, ${delivered} delivered, ${failed} failed steps.`);
      // When the log itself cannot be written (disk full) this throws, and the dispatcher reports it.
      await run.log.flush();
      await run.db.finishLog(run.client, run.log.id, iso(run.clock.now()), run.counts);
    }
  }
  return run.counts;
}

/** Entries of this definition with a step due now, oldest first, at most one batch. */
async function dueEntries(run: Run): Promise<QueueEntry[]> {
  const ids = await run.db.listDue(run.client, run.resolved.definition.name, iso(run.clock.now()), run.batchLimit);
  // Read a bounded number at a time: one by one, 10,000 due entries took seconds of event-loop turns.
  const entries = await mapLimited(ids, 64, (id) => run.db.getEntry(run.client, id));
  return entries.filter((e): e is QueueEntry => e !== undefined);
}
