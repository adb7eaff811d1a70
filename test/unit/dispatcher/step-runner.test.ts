import { describe, expect, it } from "bun:test";
import { runWithTimeout } from "../../../src/dispatcher/step-runner";

const describeStep = { kind: "pusher", name: "acme/slow", id: "p1" };

describe("runWithTimeout", () => {
  it("returns what the step returns", async () => {
    expect(await runWithTimeout(() => 42, { timeoutMs: 1000, parent: new AbortController().signal, describe: describeStep })).toBe(42);
  });

  describe("when the step hangs and ignores its signal", () => {
    it("rejects with DBUS_RUN_STEP_TIMEOUT and aborts the step's signal", async () => {
      let seen: AbortSignal | undefined;
      const hung = runWithTimeout((signal) => ((seen = signal), new Promise(() => {})), { timeoutMs: 20, parent: new AbortController().signal, describe: describeStep });
      await expect(hung).rejects.toMatchObject({ code: "DBUS_RUN_STEP_TIMEOUT" });
      expect(seen!.aborted).toBe(true);
    });
  });

  describe("when Databus shuts down", () => {
    it("rejects at once with the shutdown reason", async () => {
      const parent = new AbortController();
      const hung = runWithTimeout(() => new Promise(() => {}), { timeoutMs: 60_000, parent: parent.signal, describe: describeStep });
      parent.abort(new Error("shutting down"));
      await expect(hung).rejects.toThrow("shutting down");
    });
  });
});
