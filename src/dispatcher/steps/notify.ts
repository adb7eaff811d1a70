/** Notify: tell each puller which of its passengers are seated, once per entry; failures retry. */
import { isStepDue } from "../../core/step-status";
import { iso } from "../../core/clock";
import type { QueueEntry } from "../../core/queue-entry";
import { contextFor, type Run } from "../run-context";
import { runWithTimeout } from "../step-runner";
import { MAX_BATCH } from "../step-recorder";
import { mapLimited } from "../../core/limited";
import { recordFailure, recordSkip, recordSuccess, toPassenger } from "./outcome";

const NOTIFY = 0;

/** Returns the entries with their notify step updated. */
export async function notifyPullers(run: Run, entries: QueueEntry[]): Promise<QueueEntry[]> {
  const nowIso = iso(run.clock.now());
  const byPuller = new Map<string, QueueEntry[]>();
  for (const e of entries) {
    if (!isStepDue(e.steps[NOTIFY]!, nowIso)) continue;
    const name = e.steps[NOTIFY]!.name;
    const group = byPuller.get(name);
    if (group) group.push(e);
    else byPuller.set(name, [e]);
  }
  const updated = new Map<string, QueueEntry>();
  for (const [name, group] of byPuller) {
    if (!run.shouldContinue()) break;
    for (const e of await notifyGroup(run, name, group)) updated.set(e.passenger.id, e);
  }
  return entries.map((e) => updated.get(e.passenger.id) ?? e);
}

async function notifyGroup(run: Run, name: string, group: QueueEntry[]): Promise<QueueEntry[]> {
  const driver = run.resolved.pullers.find((p) => p.ref.name === name);
  if (!driver) {
    // The definition no longer lists this puller: nobody is left to tell.
    run.log.warning("dispatcher", `The puller ${name} is no longer in the definition; ${group.length} passengers were not notified.`);
    return Promise.all(group.map((e) => recordSkip(run, e, NOTIFY)));
  }
  const puller = driver.create();
  if (typeof puller.notifySeated === "function") {
    const passengers = await mapLimited(group, RECORD_CONCURRENCY, async (e) => toPassenger(run, await run.db.getPassenger(run.client, e.passenger.id)));
    try {
      await runWithTimeout((signal) => puller.notifySeated!(passengers, contextFor(run, driver.ref, signal)), {
        timeoutMs: run.timeouts.stepMs,
        parent: run.signal,
        describe: { kind: "puller", name, id: group.length === 1 ? group[0]!.passenger.id : `${group.length} passengers` },
      });
    } catch (e) {
      return mapLimited(group, RECORD_CONCURRENCY, (entry) => recordFailure(run, entry, NOTIFY, e));
    }
  }
  // Recorded a bounded number at a time, so the writes share durable commits.
  return mapLimited(group, RECORD_CONCURRENCY, (entry) => recordSuccess(run, entry, NOTIFY));
}

/** Step changes in flight at once: they go to the store together, up to MAX_BATCH a call (step-recorder.ts). */
const RECORD_CONCURRENCY = MAX_BATCH;
