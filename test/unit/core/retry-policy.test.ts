import { describe, expect, it } from "bun:test";
import { backoffMs, nextAttemptAt, type RetryPolicy } from "../../../src/core/retry-policy";

const policy: RetryPolicy = { baseMs: 1000, maxDelayMs: 10_000, maxAttempts: 4 };

describe("retry policy", () => {
  describe("when a step fails again and again", () => {
    it("doubles the delay each attempt, between half and all of base × 2^(n−1)", () => {
      expect([1, 2, 3].map((n) => backoffMs(policy, n, 0))).toEqual([500, 1000, 2000]);
      expect([1, 2, 3].map((n) => backoffMs(policy, n, 1))).toEqual([1000, 2000, 4000]);
    });

    it("never waits longer than max_delay", () => {
      expect(backoffMs(policy, 30, 1)).toBe(10_000);
      expect(backoffMs(policy, 30, 0)).toBe(5000);
    });

    it("gives up after max_attempts: no next attempt, the entry is dead", () => {
      expect(nextAttemptAt(policy, 3, 0, 0.5)).toBe(3000);
      expect(nextAttemptAt(policy, 4, 0, 0.5)).toBeNull();
    });
  });

  describe("when the random number is out of range", () => {
    it("clamps it, so a bad source cannot make a tight loop", () => {
      expect(backoffMs(policy, 1, -5)).toBe(500);
      expect(backoffMs(policy, 1, 7)).toBe(1000);
    });
  });
});
