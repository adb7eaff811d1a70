import { describe, expect, it } from "bun:test";
import { isDue, nextRunMs } from "../../../src/dispatcher/schedule";

describe("schedule", () => {
  it("makes a definition that never ran due at once", () => {
    expect(isDue(undefined, 60_000, 5)).toBe(true);
    expect(nextRunMs(undefined, 60_000, 5)).toBe(5);
  });
  it("waits one frequency after the last start", () => {
    expect(isDue(1000, 60_000, 60_999)).toBe(false);
    expect(isDue(1000, 60_000, 61_000)).toBe(true);
    expect(nextRunMs(1000, 60_000, 2000)).toBe(61_000);
  });
});
