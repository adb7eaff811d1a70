import { describe, expect, it } from "bun:test";
import { getPriority } from "node:os";
import { lowerThreadPriority, ownThreadId } from "../../../../src/storage/json/thread-priority";

describe("thread priority", () => {
  it("names the main thread by the process id (Linux: /proc/thread-self)", () => {
    expect(ownThreadId()).toBe(process.pid);
  });

  it("never renices the main thread, which is the whole process", () => {
    const before = getPriority(process.pid);
    expect(lowerThreadPriority(15)).toBe(false);
    expect(getPriority(process.pid)).toBe(before);
  });
});
