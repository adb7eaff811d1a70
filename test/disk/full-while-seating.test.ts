/**
 * Disk full at the two writes that matter most (#4): while seating and while recording a step's
 * result. The store's writes fail at its boundary with DBUS_STO_DISK_FULL (injected: a tmpfs cannot
 * be made to fill up at exactly that write). Nothing stored is damaged, and work resumes.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Clock } from "../../src/core/clock";
import { DatabusError } from "../../src/core/errors";
import { Dispatcher } from "../../src/dispatcher/dispatcher";
import { PluginRegistry } from "../../src/plugins/registry";
import { Passenger, Puller, Pusher } from "../../src/sdk/index";
import type { Database, StepUpdate } from "../../src/storage/database";
import { createJsonDatabase } from "../../src/storage/json/index";
import { createTempHome, type TempHome } from "../support/temp-home";

class Box extends Passenger<{ n: number }> {}
let offered = ["box-1"];
class BoxPuller extends Puller<Box> {
  pull() {
    return offered.map((id, n) => new Box({ external_id: id, payload: { n } }));
  }
}
const pushes: string[] = [];
class BoxPusher extends Pusher<Box> {
  push(b: Box) {
    pushes.push(b.external_id);
  }
}

describe("disk full while seating or recording a step", () => {
  let t: TempHome;
  let store: Database;
  let failing = new Set<string>();
  /** With "updateSteps" failing: only a call holding this step index (the pusher is 1), or every call when null. */
  let failingStep: number | null = null;
  let d: Dispatcher;
  let now = Date.parse("2026-05-01T10:00:00Z");
  const clock: Clock = { now: () => now };
  /**
   * The real store, except that the named methods fail as on a full disk. The dispatcher records
   * step results with updateSteps, which a full disk fails change by change (the store's answer).
   */
  const withFullDisk = (db: Database): Database =>
    new Proxy(db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof prop !== "string" || typeof value !== "function") return value;
        const full = () => new DatabusError("DBUS_STO_DISK_FULL", { path: t.dataDir });
        if (prop === "updateSteps")
          return (client: string, updates: StepUpdate[]) =>
            failing.has(prop) && (failingStep === null || updates.some((u) => u.stepIndex === failingStep))
              ? Promise.resolve(updates.map(full))
              : db.updateSteps(client, updates);
        return (...args: unknown[]) => (failing.has(prop) ? Promise.reject(full()) : value.apply(target, args));
      },
    });
  const tick = async () => {
    now += 120_000;
    await d.tick();
    await d.idle();
  };

  beforeEach(async () => {
    offered = ["box-1"];
    t = await createTempHome("databus-full-");
    store = createJsonDatabase(t.dataDir, { clock });
    await store.open();
    await store.createClient("acme", JSON.stringify({ passengers: [{ name: "t/box", pullers: ["t/puller"], pushers: ["t/pusher"], sync_frequency: "1m" }] }));
    const registry = new PluginRegistry();
    registry.set({ status: "loaded", name: "t/box", kind: "passenger", file: null, cls: Box });
    registry.set({ status: "loaded", name: "t/puller", kind: "puller", file: null, cls: BoxPuller });
    registry.set({ status: "loaded", name: "t/pusher", kind: "pusher", file: null, cls: BoxPusher });
    d = new Dispatcher({ db: withFullDisk(store), registry, clock, home: t.home, tickMs: 3_600_000, concurrency: 1, graceMs: 1000, random: () => 0 });
    d.start();
    await d.idle(); // box-1 seated and delivered with space to spare
    offered = ["box-1", "box-2"];
    pushes.length = 0;
    failing = new Set();
    failingStep = null;
  });
  afterEach(async () => {
    await d.shutdown();
    await store.close();
    await t.cleanup();
  });

  it("fails the run with a clear error while seating, keeps what was stored, and seats once space returns", async () => {
    failing = new Set(["seat"]);
    await tick();
    const logs = await store.listLogs("acme", { level: "error" }, { offset: 0, limit: 1 });
    const log = await store.readLog("acme", logs.logs[0]!.id);
    expect(log!.entries.map((e) => e.message).join("\n")).toContain("DBUS_STO_DISK_FULL");
    expect((await store.listEntries("acme", {}, { offset: 0, limit: 10 })).entries.map((e) => e.passenger.external_id)).toEqual(["box-1"]);
    expect(await store.countEntries("acme")).toMatchObject({ complete: 1 });
    failing = new Set();
    await tick();
    expect(await store.countEntries("acme")).toMatchObject({ complete: 2, pending: 0, failed: 0 });
    expect(pushes).toEqual(["box-2"]);
  });

  it("delivers again when a push's result could not be recorded (at least once), and loses no status", async () => {
    failing = new Set(["updateSteps"]);
    failingStep = 1; // box-2 is seated and notified; its push happens but cannot be recorded
    await tick();
    expect(pushes).toEqual(["box-2"]);
    const box2 = (await store.listEntries("acme", { text: "box-2" }, { offset: 0, limit: 1 })).entries[0]!;
    expect(box2.steps.map((s) => s.state)).toEqual(["done", "pending"]);
    failing = new Set();
    await tick();
    expect(await store.countEntries("acme")).toMatchObject({ complete: 2, pending: 0 });
    expect(pushes).toEqual(["box-2", "box-2"]); // delivered twice: allowed, the idempotency key is the same
    const box1 = (await store.listEntries("acme", { text: "box-1" }, { offset: 0, limit: 1 })).entries[0]!;
    expect(box1.steps.every((s) => s.state === "done")).toBe(true);
  });
});
