/** The step state machine: every cell of the transition table, attempts, errors and due steps. */
import { describe, expect, it } from "bun:test";
import { DatabusError } from "../../../src/core/errors";
import {
  TRANSITIONS,
  applyStepAction,
  canApply,
  isStepDue,
  isStepFinished,
  newStep,
  type StepAction,
  type StepState,
  type StepStatus,
} from "../../../src/core/step-status";

const T0 = "2030-01-01T00:00:00.000Z";
const T1 = "2030-01-01T00:01:00.000Z";
const STATES: StepState[] = ["pending", "done", "failed", "skipped"];
const ACTIONS: StepAction[] = ["succeed", "fail", "skip", "retry"];

/** The intended machine, written out independently of the table under test: from → action → to. */
const EXPECTED: Record<StepState, Partial<Record<StepAction, StepState>>> = {
  pending: { succeed: "done", fail: "failed", skip: "skipped" },
  failed: { succeed: "done", fail: "failed", skip: "skipped", retry: "pending" },
  skipped: { retry: "pending" },
  done: {},
};

const step = (state: StepState, over: Partial<StepStatus> = {}): StepStatus => ({
  ...newStep("pusher", "acme/pusher-http", T0),
  state,
  ...over,
});

const cells = STATES.flatMap((s) => ACTIONS.map((a) => [s, a] as const));

describe("step status", () => {
  describe("when reading the table", () => {
    it("allows exactly the intended transitions", () => {
      for (const [s, a] of cells) expect(canApply(s, a)).toBe(EXPECTED[s][a] !== undefined);
    });

    it("leads each action to one state", () => {
      for (const a of ACTIONS) for (const s of TRANSITIONS[a].from) expect(TRANSITIONS[a].to).toBe(EXPECTED[s][a]!);
    });
  });

  describe("when applying an allowed action", () => {
    it.each(cells.filter(([s, a]) => EXPECTED[s][a]))("%s --%s--> the intended state", (s, a) => {
      const after = applyStepAction(step(s), { action: a, at: T1, error: "boom" }, "p-1");
      expect(after.state).toBe(EXPECTED[s][a]!);
      expect(after.updated_at).toBe(T1);
    });
  });

  describe("when applying a forbidden action", () => {
    it.each(cells.filter(([s, a]) => !EXPECTED[s][a]))("%s --%s--> DBUS_Q_ACTION_NOT_ALLOWED", (s, a) => {
      let caught: unknown;
      try {
        applyStepAction(step(s), { action: a, at: T1 }, "p-1");
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DatabusError);
      const e = caught as DatabusError<"DBUS_Q_ACTION_NOT_ALLOWED">;
      expect(e.code).toBe("DBUS_Q_ACTION_NOT_ALLOWED");
      expect(e.params.id).toBe("p-1");
      expect(e.params.state).toContain(s);
      expect(e.message).toContain("acme/pusher-http");
    });

    it("leaves the step it was given unchanged", () => {
      const done = step("done", { attempts: 1 });
      expect(() => applyStepAction(done, { action: "fail", at: T1 }, "p-1")).toThrow();
      expect(done).toEqual(step("done", { attempts: 1 }));
    });
  });

  describe("when counting attempts", () => {
    it("counts each success and failure", () => {
      let s = step("pending");
      s = applyStepAction(s, { action: "fail", at: T1, error: "e1" }, "p");
      s = applyStepAction(s, { action: "fail", at: T1, error: "e2" }, "p");
      expect(s.attempts).toBe(2);
      s = applyStepAction(s, { action: "succeed", at: T1 }, "p");
      expect(s.attempts).toBe(3);
    });

    it("does not count a skip", () => {
      expect(applyStepAction(step("failed", { attempts: 2 }), { action: "skip", at: T1 }, "p").attempts).toBe(2);
    });

    it("starts again from zero when a person retries", () => {
      expect(applyStepAction(step("failed", { attempts: 5 }), { action: "retry", at: T1 }, "p").attempts).toBe(0);
    });
  });

  describe("when a step fails", () => {
    it("records the error and, by default, may be tried again at once", () => {
      const s = applyStepAction(step("pending"), { action: "fail", at: T1, error: "timeout" }, "p");
      expect(s.last_error).toBe("timeout");
      expect(s.next_attempt_at).toBe(T1);
    });

    it("keeps the next attempt time it is given, or null to wait for a person", () => {
      const later = "2030-01-01T01:00:00.000Z";
      expect(applyStepAction(step("pending"), { action: "fail", at: T1, nextAttemptAt: later }, "p").next_attempt_at).toBe(later);
      expect(applyStepAction(step("pending"), { action: "fail", at: T1, nextAttemptAt: null }, "p").next_attempt_at).toBeNull();
    });

    it("records a placeholder text when no error is given", () => {
      expect(applyStepAction(step("pending"), { action: "fail", at: T1 }, "p").last_error).toBe("unknown error");
    });

    it("clears the error when it later succeeds", () => {
      const s = applyStepAction(step("failed", { last_error: "x", next_attempt_at: T0 }), { action: "succeed", at: T1 }, "p");
      expect(s.last_error).toBeNull();
      expect(s.next_attempt_at).toBeNull();
    });
  });

  describe("when asking whether a step is due or finished", () => {
    it("is due when pending, or failed with a retry time that has come", () => {
      expect(isStepDue(step("pending"), T0)).toBe(true);
      expect(isStepDue(step("failed", { next_attempt_at: T0 }), T1)).toBe(true);
      expect(isStepDue(step("failed", { next_attempt_at: T1 }), T0)).toBe(false);
      expect(isStepDue(step("failed", { next_attempt_at: null }), T1)).toBe(false);
      expect(isStepDue(step("done"), T1)).toBe(false);
      expect(isStepDue(step("skipped"), T1)).toBe(false);
    });

    it("is finished when done or skipped", () => {
      expect(STATES.filter((s) => isStepFinished(step(s)))).toEqual(["done", "skipped"]);
    });

    it("starts pending with no attempts", () => {
      expect(newStep("notify", "databus/demo/puller_1", T0)).toEqual({
        kind: "notify",
        name: "databus/demo/puller_1",
        state: "pending",
        attempts: 0,
        last_error: null,
        next_attempt_at: null,
        updated_at: T0,
      });
    });
  });
});
