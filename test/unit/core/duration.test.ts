/** Durations as configs and flags write them. */
import { describe, expect, it } from "bun:test";
import { formatDuration, parseDuration } from "../../../src/core/duration";

describe("parseDuration", () => {
  describe("when given a bare number", () => {
    it("reads minutes by default, as the original did", () => {
      expect(parseDuration(5)).toBe(300_000);
      expect(parseDuration(0.5)).toBe(30_000);
    });

    it("reads the unit the caller names", () => {
      expect(parseDuration(3, "s")).toBe(3000);
      expect(parseDuration(2, "d")).toBe(172_800_000);
      expect(parseDuration("7", "d")).toBe(604_800_000);
    });

    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("rejects %p", (n) => expect(parseDuration(n)).toBeNull());
  });

  describe("when given a text", () => {
    it.each([
      ["250ms", 250],
      ["30s", 30_000],
      ["5m", 300_000],
      ["2h", 7_200_000],
      ["1d", 86_400_000],
      [" 1.5 h ", 5_400_000],
    ])("reads %p as %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

    it.each(["", "soon", "5 minutes", "-5m", "0s", "5w", "1e3s"])("rejects %p", (t) => expect(parseDuration(t)).toBeNull());
  });

  describe("when given something else", () => {
    it.each([[null], [undefined], [true], [{}], [[]]])("rejects %p", (v) => expect(parseDuration(v)).toBeNull());
  });
});

describe("formatDuration", () => {
  describe("when the value is a whole number of a unit", () => {
    it("uses the largest such unit", () => {
      expect(formatDuration(86_400_000)).toBe("1d");
      expect(formatDuration(7_200_000)).toBe("2h");
      expect(formatDuration(90_000)).toBe("90s");
      expect(formatDuration(300_000)).toBe("5m");
    });
  });

  describe("when it is not", () => {
    it("falls back to milliseconds, which parse back to the same value", () => {
      expect(formatDuration(1500)).toBe("1500ms");
      expect(parseDuration(formatDuration(1500))).toBe(1500);
    });
  });
});
