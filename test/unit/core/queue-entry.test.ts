/** Queue entries: the steps frozen at seating, and the entry state derived from them. */
import { describe, expect, it } from "bun:test";
import { ENTRY_STATES, entryState, initialSteps, isComplete } from "../../../src/core/queue-entry";
import type { StepState, StepStatus } from "../../../src/core/step-status";

const T0 = "2030-01-01T00:00:00.000Z";

function steps(...states: Array<StepState | "dead">): StepStatus[] {
  const base = initialSteps("acme/puller", ["acme/proc"], ["acme/push"], T0);
  return base.map((s, i) => {
    const want = states[i] ?? "pending";
    if (want === "dead") return { ...s, state: "failed", next_attempt_at: null };
    return { ...s, state: want, next_attempt_at: want === "failed" ? T0 : null };
  });
}

describe("queue entry", () => {
  describe("when seated", () => {
    it("gets notify, then each processor in order, then each pusher", () => {
      const s = initialSteps("acme/puller", ["p1", "p2"], ["u1", "u2"], T0);
      expect(s.map((x) => `${x.kind}:${x.name}`)).toEqual(["notify:acme/puller", "processor:p1", "processor:p2", "pusher:u1", "pusher:u2"]);
      expect(s.every((x) => x.state === "pending" && x.attempts === 0 && x.updated_at === T0)).toBe(true);
    });

    it("starts with notify done, as a success at the seat time, when the puller has nothing to be told", () => {
      const s = initialSteps("acme/puller", ["p1"], ["u1"], T0, true);
      expect(s[0]).toEqual({ kind: "notify", name: "acme/puller", state: "done", attempts: 1, last_error: null, next_attempt_at: null, updated_at: T0 });
      expect(s.slice(1).every((x) => x.state === "pending" && x.attempts === 0)).toBe(true);
      expect(entryState(initialSteps("acme/puller", [], [], T0, true))).toBe("complete");
    });
  });

  describe("when deriving its state", () => {
    it("is pending while work remains", () => {
      expect(entryState(steps("pending", "pending", "pending"))).toBe("pending");
      expect(entryState(steps("done", "done", "pending"))).toBe("pending");
    });

    it("is failed when a step failed and will be retried", () => {
      expect(entryState(steps("done", "failed", "pending"))).toBe("failed");
    });

    it("is dead when a failed step waits for a person, even if another will be retried", () => {
      expect(entryState(steps("done", "dead", "pending"))).toBe("dead");
      expect(entryState(steps("failed", "done", "dead"))).toBe("dead");
    });

    it("is complete when notified and every step is done or skipped", () => {
      expect(entryState(steps("done", "done", "done"))).toBe("complete");
      expect(entryState(steps("done", "done", "skipped"))).toBe("complete");
      expect(isComplete(steps("done", "skipped", "skipped"))).toBe(true);
    });

    it("is not complete until the puller is notified", () => {
      expect(entryState(steps("pending", "done", "done"))).toBe("pending");
      expect(isComplete(steps("pending", "done", "done"))).toBe(false);
    });

    it("lists every state it can derive", () => {
      expect([...ENTRY_STATES].sort()).toEqual(["complete", "dead", "failed", "pending"]);
    });
  });
});
