/**
 * The step state machine: states, allowed transitions, one table. Dispatcher, web actions and
 * engines all ask `applyStepAction`; no other code writes a status literal. Pure.
 */
import { DatabusError } from "./errors";

export type StepState = "pending" | "done" | "failed" | "skipped";
export type StepKind = "notify" | "processor" | "pusher";

/** What happens to a step: the dispatcher reports success or failure; people retry or skip. */
export type StepAction = "succeed" | "fail" | "skip" | "retry";

export interface StepStatus {
  kind: StepKind;
  /** Driver name; for `notify`, the puller that pulled the passenger. */
  name: string;
  state: StepState;
  attempts: number;
  last_error: string | null;
  /** When the dispatcher may try a failed step again; null on a failed step means it waits for a person. */
  next_attempt_at: string | null;
  updated_at: string;
}

/** The one table: for each action, the states it may start from and the state it leads to. */
export const TRANSITIONS: Record<StepAction, { from: readonly StepState[]; to: StepState }> = {
  succeed: { from: ["pending", "failed"], to: "done" },
  fail: { from: ["pending", "failed"], to: "failed" },
  skip: { from: ["pending", "failed"], to: "skipped" },
  retry: { from: ["failed", "skipped"], to: "pending" },
};

const PAST: Record<StepAction, string> = {
  succeed: "marked done",
  fail: "marked failed",
  skip: "skipped",
  retry: "retried",
};

export function canApply(state: StepState, action: StepAction): boolean {
  return TRANSITIONS[action].from.includes(state);
}

export interface StepChange {
  action: StepAction;
  at: string;
  /** For `fail`: the error to record. */
  error?: string;
  /** For `fail`: when to try again; null leaves the step for a person. */
  nextAttemptAt?: string | null;
}

/** Returns the step after the change, or throws DBUS_Q_ACTION_NOT_ALLOWED naming the entry. */
export function applyStepAction(step: StepStatus, change: StepChange, entryId: string): StepStatus {
  if (!canApply(step.state, change.action)) {
    throw new DatabusError("DBUS_Q_ACTION_NOT_ALLOWED", {
      id: entryId,
      state: `${step.state} at the ${step.kind} step \`${step.name}\``,
      action: PAST[change.action],
    });
  }
  const to = TRANSITIONS[change.action].to;
  switch (change.action) {
    case "succeed":
      return { ...step, state: to, attempts: step.attempts + 1, last_error: null, next_attempt_at: null, updated_at: change.at };
    case "fail":
      return {
        ...step,
        state: to,
        attempts: step.attempts + 1,
        last_error: change.error ?? "unknown error",
        next_attempt_at: change.nextAttemptAt === undefined ? change.at : change.nextAttemptAt,
        updated_at: change.at,
      };
    case "skip":
      return { ...step, state: to, next_attempt_at: null, updated_at: change.at };
    case "retry":
      return { ...step, state: to, attempts: 0, next_attempt_at: null, updated_at: change.at };
  }
}

export function newStep(kind: StepKind, name: string, at: string): StepStatus {
  return { kind, name, state: "pending", attempts: 0, last_error: null, next_attempt_at: null, updated_at: at };
}

/** A step that still needs the dispatcher: pending, or failed with a retry time that has come. */
export function isStepDue(step: StepStatus, nowIso: string): boolean {
  if (step.state === "pending") return true;
  return step.state === "failed" && step.next_attempt_at !== null && step.next_attempt_at <= nowIso;
}

export const isStepFinished = (s: StepStatus): boolean => s.state === "done" || s.state === "skipped";
