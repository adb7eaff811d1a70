/** Recording a step's outcome: one place turns success and failure into step changes and log lines. */
import { iso } from "../../core/clock";
import { DatabusError, reasonOf } from "../../core/errors";
import type { QueueEntry } from "../../core/queue-entry";
import type { PassengerData } from "../../core/passenger";
import { nextAttemptAt } from "../../core/retry-policy";
import { isUnrecoverable } from "../../sdk/errors";
import type { Passenger } from "../../sdk/passenger";
import type { Run } from "../run-context";
import { StepRecorder } from "../step-recorder";

/** Errors Databus raises about the step itself: recorded as they are, not wrapped in "failed: …". */
const STEP_CODES = new Set<string>(["DBUS_RUN_STEP_TIMEOUT", "DBUS_RUN_PLUGIN_EXIT", "DBUS_RUN_PASSENGER_TOO_LARGE"]);

/** One recorder per run: the run's step changes of one event-loop turn share one store call (step-recorder.ts). */
const recorders = new WeakMap<Run, StepRecorder>();

function recorder(run: Run): StepRecorder {
  let r = recorders.get(run);
  if (!r) recorders.set(run, (r = new StepRecorder(run.db, run.client)));
  return r;
}

/** `changed`: the passenger as a processor left it, stored in the same change as the step's success. */
export async function recordSuccess(run: Run, entry: QueueEntry, stepIndex: number, changed?: Passenger): Promise<QueueEntry> {
  if (entry.steps[stepIndex]!.kind === "pusher") run.counts.delivered++;
  const passenger = changed && { payload: changed.payload, attachments: changed.attachments };
  return recorder(run).update(entry.passenger.id, stepIndex, { action: "succeed", at: iso(run.clock.now()) }, passenger);
}

export async function recordSkip(run: Run, entry: QueueEntry, stepIndex: number): Promise<QueueEntry> {
  return recorder(run).update(entry.passenger.id, stepIndex, { action: "skip", at: iso(run.clock.now()) });
}

/**
 * Marks the step failed with a catalogue message plus the plugin's own words, and logs it. The
 * next attempt follows the retry policy (backoff with jitter); after the last attempt, or on an
 * UnrecoverableError, the entry is dead and waits for a person.
 */
export async function recordFailure(run: Run, entry: QueueEntry, stepIndex: number, cause: unknown): Promise<QueueEntry> {
  const step = entry.steps[stepIndex]!;
  const where = { kind: step.kind, name: step.name, id: entry.passenger.id };
  const unrecoverable = isUnrecoverable(cause);
  const error =
    cause instanceof DatabusError && STEP_CODES.has(cause.code)
      ? cause
      : new DatabusError(unrecoverable ? "DBUS_RUN_UNRECOVERABLE" : "DBUS_RUN_STEP_FAILED", { ...where, reason: reasonOf(cause) });
  const text = `${error.code} ${error.message}`;
  run.log.error(step.name, text);
  run.counts.failed++;
  const now = run.clock.now();
  const next = unrecoverable ? null : nextAttemptAt(run.retry, step.attempts + 1, now, run.random());
  const updated = await recorder(run).update(entry.passenger.id, stepIndex, {
    action: "fail",
    at: iso(now),
    error: text,
    nextAttemptAt: next === null ? null : iso(next),
  });
  if (next === null && !unrecoverable)
    run.log.error(step.name, describeDead(entry.passenger.id, step.attempts + 1, step.kind, step.name));
  return updated;
}

/** An instance of the definition's passenger class holding the stored data. */
export function toPassenger(run: Run, data: PassengerData): Passenger {
  const p = new run.resolved.passengerClass({
    external_id: data.external_id,
    source_system: data.source_system,
    payload: data.payload,
    attachments: data.attachments,
  });
  p.id = data.id;
  p.type = data.type;
  p.pulled_at = data.pulled_at;
  p.puller = data.puller;
  return p;
}

function describeDead(id: string, attempts: number, kind: string, name: string): string {
  const e = new DatabusError("DBUS_RUN_DEAD", { id, attempts, step: `${kind} ${name}` });
  return `${e.code} ${e.message} ${e.hint}`;
}
