import { describe, expect, it } from "bun:test";
import { runWithTimeout } from "../../../src/dispatcher/step-runner";

const describeStep = { kind: "pusher", name: "acme/slow", id: "p1" };

describe("runWithTimeout", () => {
  it("returns what the step returns", async () => {
    expect(await runWithTimeout(() => 42, { timeoutMs: 1000, parent: new AbortController().signal, describe: describeStep })).toBe(42);
  });

  it("turns a step that throws at once into a rejection", async () => {
    const thrown = runWithTimeout(() => {
      throw new Error("bad payload");
    }, { timeoutMs: 1000, parent: new AbortController().signal, describe: describeStep });
    await expect(thrown).rejects.toThrow("bad payload");
  });

  describe("when the step answers at once (most processors)", () => {
    it("arms nothing for it (no listener on the shutdown signal)", async () => {
      const parent = new AbortController().signal;
      let listeners = 0;
      const add = parent.addEventListener.bind(parent);
      parent.addEventListener = ((...args: Parameters<AbortSignal["addEventListener"]>) => (listeners++, add(...args))) as AbortSignal["addEventListener"];
      expect(await runWithTimeout(() => "done", { timeoutMs: 1000, parent, describe: describeStep })).toBe("done");
      expect(listeners).toBe(0);
      expect(await runWithTimeout(async () => "later", { timeoutMs: 1000, parent, describe: describeStep })).toBe("later");
      expect(listeners).toBe(1); // a step that answers later is watched
    });
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

    it("does not call a step once shutdown has begun", async () => {
      const parent = new AbortController();
      parent.abort(new Error("shutting down"));
      let called = false;
      const late = runWithTimeout(() => void (called = true), { timeoutMs: 60_000, parent: parent.signal, describe: describeStep });
      await expect(late).rejects.toThrow("shutting down");
      expect(called).toBe(false);
    });
  });
});
