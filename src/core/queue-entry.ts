/** QueueEntry: a passenger plus its progress, and the derived entry state. Pure. */
import type { AttachmentInfo, PassengerRecord } from "./passenger";
import { isStepFinished, newStep, type StepStatus } from "./step-status";

/**
 * - pending: work remains and will be done by the dispatcher;
 * - failed: a step failed and will be retried;
 * - dead: a step failed and waits for a person (no next attempt);
 * - complete: notified, and every processor and pusher done or skipped.
 */
export type EntryState = "pending" | "failed" | "dead" | "complete";
export const ENTRY_STATES: readonly EntryState[] = ["pending", "failed", "dead", "complete"];

export interface QueueEntry {
  passenger: PassengerRecord;
  attachments: AttachmentInfo[];
  /** [notify, ...processors, ...pushers], frozen at seating time. */
  steps: StepStatus[];
  seated_at: string;
  /** Set when the entry became complete; purge counts the life span from here. */
  completed_at: string | null;
}

/**
 * The steps an entry gets when seated, from the definition's drivers at that moment. `notified`: the
 * puller has nothing to be told (no `notifySeated`), so its step is done with the seat itself, as a
 * success at `at` would leave it: one change less to store for every passenger of such a puller.
 */
export function initialSteps(puller: string, processors: string[], pushers: string[], at: string, notified = false): StepStatus[] {
  const notify = newStep("notify", puller, at);
  return [
    notified ? { ...notify, state: "done", attempts: 1 } : notify,
    ...processors.map((p) => newStep("processor", p, at)),
    ...pushers.map((p) => newStep("pusher", p, at)),
  ];
}

export function entryState(steps: readonly StepStatus[]): EntryState {
  if (steps.some((s) => s.state === "failed" && s.next_attempt_at === null)) return "dead";
  if (steps.some((s) => s.state === "failed")) return "failed";
  return steps.every(isStepFinished) ? "complete" : "pending";
}

export const isComplete = (steps: readonly StepStatus[]): boolean => entryState(steps) === "complete";
