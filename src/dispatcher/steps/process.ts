/** Process: a passenger's processors in order, each only while it is not done; changes are persisted. */
import { iso } from "../../core/clock";
import { DatabusError } from "../../core/errors";
import { sameContent } from "../../core/passenger";
import type { QueueEntry } from "../../core/queue-entry";
import { isStepDue, isStepFinished } from "../../core/step-status";
import type { Passenger } from "../../sdk/passenger";
import { isSkipDelivery } from "../../sdk/processor";
import { checkSize, contentProblem } from "../passenger-check";
import { contextFor, type Run } from "../run-context";
import { runWithTimeout } from "../step-runner";
import type { Slots } from "../../core/slots";
import { recordFailure, recordSkip, recordSuccess } from "./outcome";

/** An entry whose processors are all done, with its passenger as they left it: ready for the pushers. */
export interface ReadyToPush {
  entry: QueueEntry;
  passenger: Passenger;
}

/** Runs the entry's due processors; returns it ready to push, or null (a processor failed, waits, or skipped delivery). */
export async function processEntry(run: Run, start: QueueEntry, passenger: Passenger, plugins: Slots): Promise<ReadyToPush | null> {
  let entry = start;
  for (let i = 1; i < entry.steps.length; i++) {
    const step = entry.steps[i]!;
    if (step.kind !== "processor" || isStepFinished(step)) continue;
    if (!isStepDue(step, iso(run.clock.now())) || !run.shouldContinue()) return null;
    const outcome = await processOne(run, entry, i, passenger, plugins);
    if (outcome.kind !== "done") return null;
    entry = outcome.entry;
  }
  return { entry, passenger };
}

type ProcessOutcome = { kind: "done" | "skipped"; entry: QueueEntry } | { kind: "failed" | "stopped" };

/** Returned from a slot that came free after the run was told to stop: nothing ran, nothing is recorded. */
const STOPPED = Symbol("stopped");

async function processOne(run: Run, entry: QueueEntry, index: number, passenger: Passenger, plugins: Slots): Promise<ProcessOutcome> {
  const name = entry.steps[index]!.name;
  const driver = run.resolved.processors.find((p) => p.ref.name === name);
  const before = snapshot(passenger);
  let result: unknown;
  let changed = false;
  try {
    if (!driver) throw new Error(`the processor ${name} is no longer in the definition`);
    result = await plugins(async () => {
      if (!run.shouldContinue()) return STOPPED;
      return runWithTimeout(
        (signal) => driver.create().process(passenger, { ...contextFor(run, driver.ref, signal), idempotencyKey: `${passenger.id}:${name}` }),
        { timeoutMs: run.timeouts.stepMs, parent: run.signal, describe: { kind: "processor", name, id: passenger.id } },
      );
    });
    if (result === STOPPED) return { kind: "stopped" };
    checkProcessed(run, passenger, name);
    changed = changedSince(before, passenger);
  } catch (e) {
    await recordFailure(run, entry, index, e);
    return { kind: "failed" };
  }
  // The passenger's changes and the step's success are one change: a crash keeps both or neither
  // (neither: the processor runs again, at-least-once).
  let updated = await recordSuccess(run, entry, index, changed ? passenger : undefined);
  if (!isSkipDelivery(result)) return { kind: "done", entry: updated };
  run.log.info(name, `Delivery of passenger ${passenger.id} skipped: ${result.reason}`);
  for (let i = index + 1; i < updated.steps.length; i++)
    if (!isStepFinished(updated.steps[i]!)) updated = await recordSkip(run, updated, i);
  return { kind: "skipped", entry: updated };
}

/** A processor may have broken the passenger; refuse to store what cannot be stored (checked before any copy is made). */
function checkProcessed(run: Run, passenger: Passenger, name: string): void {
  const problem = contentProblem(passenger);
  if (problem) throw new Error(`it left the passenger unstorable: ${problem}`);
  const size = checkSize(passenger, run.passengerLimitBytes);
  if (size.ok) return;
  if (!size.tooLarge) throw new Error(`it left the passenger unstorable: ${size.problem}`);
  const limitMb = Math.round(run.passengerLimitBytes / 1024 / 1024);
  throw new DatabusError("DBUS_RUN_PASSENGER_TOO_LARGE", { kind: "processor", name, id: passenger.id, limitMb });
}

/**
 * What a processor may change, to tell afterwards whether it did: the payload as JSON, the attachments
 * as they were (bytes copied, so a change in place shows). Compared byte for byte, not as base64 text:
 * encoding a 10 KB attachment twice per processor was a tenth of such a run's main-thread time.
 */
interface Before {
  payload: string;
  attachments: Array<{ name: string; media_type: string | undefined; content: string | Uint8Array }>;
}

function snapshot(p: Passenger): Before {
  const attachments = p.attachments.map((a) => ({ name: a.name, media_type: a.media_type, content: typeof a.content === "string" ? a.content : new Uint8Array(a.content) }));
  return { payload: JSON.stringify(p.payload ?? null), attachments };
}

function changedSince(before: Before, p: Passenger): boolean {
  if (JSON.stringify(p.payload ?? null) !== before.payload || p.attachments.length !== before.attachments.length) return true;
  return p.attachments.some((a, i) => {
    const b = before.attachments[i]!;
    return a.name !== b.name || a.media_type !== b.media_type || !sameContent(a.content, b.content);
  });
}
