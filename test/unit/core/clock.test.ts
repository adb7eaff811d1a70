/** The Clock type's real implementation and the ISO formatting every room shares. */
import { describe, expect, it } from "bun:test";
import { iso, systemClock } from "../../../src/core/clock";

describe("clock", () => {
  describe("when formatting a time", () => {
    it("writes ISO 8601 in UTC with milliseconds, which sorts as text", () => {
      expect(iso(Date.UTC(2030, 0, 2, 3, 4, 5, 6))).toBe("2030-01-02T03:04:05.006Z");
      expect(iso(0) < iso(1) && iso(1) < iso(86_400_000)).toBe(true);
    });
  });

  describe("when reading the system clock", () => {
    it("returns epoch milliseconds of the present", () => {
      const before = Date.now();
      const now = systemClock.now();
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(Date.now());
    });
  });
});
