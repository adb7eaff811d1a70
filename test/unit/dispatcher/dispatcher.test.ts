import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../../../src/core/clock";
import { Dispatcher } from "../../../src/dispatcher/dispatcher";
import { PluginRegistry, type PluginKind } from "../../../src/plugins/registry";
import { Passenger, Processor, Puller, Pusher, skipDelivery, UnrecoverableError, type PushContext } from "../../../src/sdk/index";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";

class Item extends Passenger<{ n: number; trail: string[] }> {}
const make = (ids: string[]) => ids.map((id, n) => new Item({ external_id: id, source_system: "shop", payload: { n, trail: [] } }));

class PullerA extends Puller<Item> {
  pull() { return make(["a1", "a2", "shared"]); }
}
class PullerB extends Puller<Item> {
  async *pull() { yield* make(["b1", "shared"]); }
}
class Stamp1 extends Processor<Item> {
  process(p: Item) { p.payload.trail.push("stamp1"); }
}
class Stamp2 extends Processor<Item> {
  process(p: Item) {
    p.payload.trail.push("stamp2");
    if (p.external_id === "b1") return skipDelivery("b1 is not for delivery");
  }
}
const delivered: { good: string[]; flaky: string[] } = { good: [], flaky: [] };
let flakyFailures = 0;
class GoodPusher extends Pusher<Item> {
  push(p: Item, ctx: PushContext) {
    expect(ctx.idempotencyKey).toBe(`${p.id}:test/good_pusher`);
    delivered.good.push(`${p.external_id}:${p.payload.trail.join("+")}`);
  }
}
class FlakyPusher extends Pusher<Item> {
  push(p: Item) {
    if (flakyFailures === 0) {
      flakyFailures++;
      throw new Error("the target is warming up");
    }
    delivered.flaky.push(p.external_id);
  }
}

class RejectingPusher extends Pusher<Item> {
  push(p: Item): void {
    throw new UnrecoverableError(`the target rejects ${p.external_id} for good`);
  }
}

const CONFIG = JSON.stringify({
  passengers: [{
    name: "test/item",
    pullers: ["test/puller_a", "test/puller_b"],
    processors: ["test/stamp_1", "test/stamp_2"],
    pushers: ["test/good_pusher", "test/flaky_pusher"],
    sync_frequency: "1m",
  }],
});

function registryWith(classes: Record<string, [PluginKind, new (...a: never[]) => unknown]>): PluginRegistry {
  const r = new PluginRegistry();
  for (const [name, [kind, cls]] of Object.entries(classes)) r.set({ status: "loaded", name, kind, file: null, cls: cls as never });
  return r;
}

describe("Dispatcher", () => {
  let dir: string;
  let db: Database;
  let now = Date.parse("2026-01-01T00:00:00Z");
  const clock: Clock = { now: () => now };
  const reports: string[] = [];
  const started: Dispatcher[] = [];
  const dispatcher = (registry: PluginRegistry) => {
    const d = new Dispatcher({ db, registry, clock, home: dir, tickMs: 3_600_000, concurrency: 4, graceMs: 1000, report: (l) => reports.push(l) });
    started.push(d);
    return d;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "databus-dispatcher-"));
    db = createJsonDatabase(join(dir, "data"), { clock });
    await db.open();
    await db.createClient("acme", CONFIG);
    delivered.good = [];
    delivered.flaky = [];
    flakyFailures = 0;
    reports.length = 0;
  });
  afterEach(async () => {
    for (const d of started.splice(0)) await d.shutdown();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe("when a client has two pullers, two processors and two pushers, one failing once", () => {
    const registry = () =>
      registryWith({
        "test/item": ["passenger", Item],
        "test/puller_a": ["puller", PullerA],
        "test/puller_b": ["puller", PullerB],
        "test/stamp_1": ["processor", Stamp1],
        "test/stamp_2": ["processor", Stamp2],
        "test/good_pusher": ["pusher", GoodPusher],
        "test/flaky_pusher": ["pusher", FlakyPusher],
      });

    it("delivers every passenger to both pushers, logs the failure, and seats nothing twice", async () => {
      const d = dispatcher(registry());
      d.start(); // the first tick runs at once; the timer (1 h here) never fires in the test
      await d.idle();

      const first = await db.listEntries("acme", {}, { offset: 0, limit: 100 });
      expect(first.total).toBe(4); // a1, a2, shared (both pullers say source "shop"), b1
      const failedLogs = await db.listLogs("acme", { level: "error" }, { offset: 0, limit: 10 });
      expect(failedLogs.total).toBe(1);
      // pulled: a1 a2 shared + b1 shared; delivered: 3 good + 2 flaky; failed: the flaky first try
      expect(failedLogs.logs[0]!.counts).toEqual({ pulled: 5, seated: 4, delivered: 5, failed: 1 });
      expect(failedLogs.logs[0]!.finished_at).not.toBeNull();
      const log = await db.readLog("acme", failedLogs.logs[0]!.id);
      expect(log!.entries.some((e) => e.level === "error" && e.message.includes("the target is warming up"))).toBe(true);
      expect(log!.entries.every((e) => typeof e.at === "string" && e.at.length > 0)).toBe(true);

      now += 61_000;
      await d.tick();
      await d.idle();

      expect((await db.listEntries("acme", {}, { offset: 0, limit: 100 })).total).toBe(4);
      expect(delivered.good.sort()).toEqual(["a1:stamp1+stamp2", "a2:stamp1+stamp2", "shared:stamp1+stamp2"]);
      expect(delivered.flaky.sort()).toEqual(["a1", "a2", "shared"]);
      const counts = await db.countEntries("acme");
      expect(counts).toEqual({ pending: 0, failed: 0, dead: 0, complete: 4 });
      const b1 = (await db.listEntries("acme", { text: "b1" }, { offset: 0, limit: 1 })).entries[0]!;
      expect(b1.steps.filter((s) => s.kind === "pusher").map((s) => s.state)).toEqual(["skipped", "skipped"]);
      // The entry whose push failed in run 1 was finished in run 2: its page links both runs.
      const all = (await db.listEntries("acme", {}, { offset: 0, limit: 100 })).entries;
      expect(all.filter((e) => e.passenger.log_ids.length === 2)).toHaveLength(1);
      // Each processor's change was stored with its step: the stored payload carries both stamps, once each.
      const a1 = all.find((e) => e.passenger.external_id === "a1")!;
      expect((await db.getPassenger("acme", a1.passenger.id)).payload).toMatchObject({ trail: ["stamp1", "stamp2"] });
    });

    it("starts no second run of a definition while one is running", async () => {
      const d = dispatcher(registry());
      d.pause();
      d.resume();
      await d.runNow("acme", "test/item");
      await d.runNow("acme", "test/item");
      expect(d.running()).toHaveLength(1);
      await d.idle();
      expect((await db.listLogs("acme", {}, { offset: 0, limit: 10 })).total).toBe(1);
    });
  });

  describe("when a definition names a plugin that does not exist", () => {
    it("reports the definition and keeps running the others", async () => {
      await db.writeConfig("acme", JSON.stringify({ passengers: [JSON.parse(CONFIG).passengers[0], { name: "test/item2", pullers: ["test/nope"] }] }));
      const r = registryWith({ "test/item": ["passenger", Item], "test/item2": ["passenger", Item], "test/puller_a": ["puller", PullerA], "test/puller_b": ["puller", PullerB], "test/stamp_1": ["processor", Stamp1], "test/stamp_2": ["processor", Stamp2], "test/good_pusher": ["pusher", GoodPusher], "test/flaky_pusher": ["pusher", FlakyPusher] });
      const d = dispatcher(r);
      d.start();
      await d.idle();
      expect(reports.some((l) => l.startsWith("DBUS_CFG_UNKNOWN_DRIVER") && l.includes("test/nope"))).toBe(true);
      expect(delivered.good.length).toBe(3);
    });
  });

  describe("when a pusher throws UnrecoverableError", () => {
    it("leaves the entries dead with the error kept, and does not retry them", async () => {
      await db.writeConfig("acme", JSON.stringify({ passengers: [{ name: "test/item", pullers: ["test/puller_a"], pushers: ["test/rejecting"] }] }));
      const d = dispatcher(registryWith({ "test/item": ["passenger", Item], "test/puller_a": ["puller", PullerA], "test/rejecting": ["pusher", RejectingPusher] }));
      d.start();
      await d.idle();
      expect(await db.countEntries("acme")).toEqual({ pending: 0, failed: 0, dead: 3, complete: 0 });
      now += 120_000;
      await d.tick();
      await d.idle();
      const entry = (await db.listEntries("acme", { text: "a1" }, { offset: 0, limit: 1 })).entries[0]!;
      const push = entry.steps.find((s) => s.kind === "pusher")!;
      expect(push).toMatchObject({ state: "failed", attempts: 1, next_attempt_at: null });
      expect(push.last_error).toContain("DBUS_RUN_UNRECOVERABLE");
      expect(push.last_error).toContain("rejects a1 for good");
    });
  });

  describe("when more definitions are due than the concurrency limit allows", () => {
    it("starts the waiting ones as soon as a slot frees, not a tick later", async () => {
      const defs = ["test/d1", "test/d2", "test/d3"].map((name) => ({ name, pullers: ["test/puller_a"], pushers: ["test/good_pusher"] }));
      await db.writeConfig("acme", JSON.stringify({ passengers: defs }));
      const r = registryWith({ "test/d1": ["passenger", Item], "test/d2": ["passenger", Item], "test/d3": ["passenger", Item], "test/puller_a": ["puller", PullerA], "test/good_pusher": ["pusher", GoodPusher] });
      const d = new Dispatcher({ db, registry: r, clock, home: dir, tickMs: 3_600_000, concurrency: 1, graceMs: 1000 });
      started.push(d);
      d.start();
      await d.idle(); // no second tick: only finished runs can have started the others
      const logs = await db.listLogs("acme", {}, { offset: 0, limit: 10 });
      expect(logs.logs.map((l) => l.definition).sort()).toEqual(["test/d1", "test/d2", "test/d3"]);
    });
  });

  describe("peek", () => {
    class PeekingPuller extends Puller<Item> {
      pull() {
        return make(["p1"]);
      }
      override peek() {
        return make(["p1", "p2"]);
      }
    }
    class BrokenPeek extends Puller<Item> {
      pull() {
        return [];
      }
      override peek(): Item[] {
        throw new Error("the source is down");
      }
    }

    it("shows what waits per puller, says which cannot peek, reports errors as results, and seats nothing", async () => {
      await db.writeConfig("acme", JSON.stringify({ passengers: [{ name: "test/item", pullers: ["test/peeking", "test/plain", "test/broken_peek"] }] }));
      const d = dispatcher(registryWith({ "test/item": ["passenger", Item], "test/peeking": ["puller", PeekingPuller], "test/plain": ["puller", PullerA], "test/broken_peek": ["puller", BrokenPeek] }));
      const results = await d.peek("acme", "test/item");
      expect(results.map((r) => [r.puller, r.status])).toEqual([["test/peeking", "ok"], ["test/plain", "unsupported"], ["test/broken_peek", "failed"]]);
      expect(results[0]!.status === "ok" && results[0]!.passengers.map((p) => p.external_id)).toEqual(["p1", "p2"]);
      expect(results[2]!.status === "failed" && results[2]!.error).toContain("the source is down");
      expect((await db.listEntries("acme", {}, { offset: 0, limit: 10 })).total).toBe(0);
      expect((await db.listLogs("acme", {}, { offset: 0, limit: 10 })).total).toBe(0);
      await expect(d.peek("acme", "test/none")).rejects.toMatchObject({ code: "DBUS_DSP_UNKNOWN_DEFINITION" });
    });
  });

  describe("when processors change attachments, or leave them as they were", () => {
    class Doc extends Passenger<{ n: number }> {}
    class DocPuller extends Puller<Doc> {
      pull() {
        return ["p1", "p2"].map((id) => new Doc({ external_id: id, payload: { n: 0 }, attachments: [{ name: "doc.bin", content: new Uint8Array([1, 2, 3]) }] }));
      }
    }
    /** Changes p1's attachment in place (same size), nothing of p2. */
    class InPlace extends Processor<Doc> {
      process(p: Doc) {
        if (p.external_id === "p1") (p.attachments[0]!.content as Uint8Array)[2] = 9;
      }
    }
    class DocPusher extends Pusher<Doc> {
      push() {}
    }

    it("stores an attachment changed in place, and records no passenger change for one left alone", async () => {
      await db.writeConfig("acme", JSON.stringify({ passengers: [{ name: "test/doc", pullers: ["test/doc_puller"], processors: ["test/in_place"], pushers: ["test/doc_pusher"] }] }));
      const changes: string[] = [];
      const updateSteps = db.updateSteps.bind(db);
      db.updateSteps = async (client, updates) => {
        for (const u of updates) if (u.passenger) changes.push(u.id);
        return updateSteps(client, updates);
      };
      const d = dispatcher(registryWith({ "test/doc": ["passenger", Doc], "test/doc_puller": ["puller", DocPuller], "test/in_place": ["processor", InPlace], "test/doc_pusher": ["pusher", DocPusher] }));
      d.start();
      await d.idle();
      const entries = (await db.listEntries("acme", {}, { offset: 0, limit: 10 })).entries;
      const byName = Object.fromEntries(entries.map((e) => [e.passenger.external_id, e.passenger.id]));
      expect(changes).toEqual([byName.p1!]);
      expect([...((await db.readAttachment("acme", byName.p1!, "doc.bin"))!.content as Uint8Array)]).toEqual([1, 2, 9]);
      expect([...((await db.readAttachment("acme", byName.p2!, "doc.bin"))!.content as Uint8Array)]).toEqual([1, 2, 3]);
      expect(await db.countEntries("acme")).toMatchObject({ complete: 2 });
    });
  });

  describe("when a definition has two pushers without pushBatch", () => {
    it("pushes each entry to both side by side and records both pushes of an entry in one store call", async () => {
      await db.writeConfig("acme", JSON.stringify({ passengers: [{ name: "test/item", pullers: ["test/puller_a"], pushers: ["test/good_pusher", "test/also_good"] }] }));
      const also: string[] = [];
      class AlsoGood extends Pusher<Item> {
        push(p: Item) {
          also.push(p.external_id);
        }
      }
      const calls: Array<Array<[string, number]>> = [];
      const updateSteps = db.updateSteps.bind(db);
      db.updateSteps = async (client, updates) => {
        calls.push(updates.map((u) => [u.id, u.stepIndex]));
        return updateSteps(client, updates);
      };
      const d = dispatcher(registryWith({ "test/item": ["passenger", Item], "test/puller_a": ["puller", PullerA], "test/good_pusher": ["pusher", GoodPusher], "test/also_good": ["pusher", AlsoGood] }));
      d.start();
      await d.idle();
      expect(delivered.good.sort()).toEqual(["a1:", "a2:", "shared:"]);
      expect(also.sort()).toEqual(["a1", "a2", "shared"]);
      const entries = (await db.listEntries("acme", {}, { offset: 0, limit: 10 })).entries;
      expect(entries.every((e) => e.completed_at !== null)).toBe(true);
      // Steps: 0 notify, 1 and 2 the pushers. Each entry's two pushes came in the same call.
      for (const e of entries) {
        const call = calls.find((c) => c.some(([id, step]) => id === e.passenger.id && step === 1));
        expect(call?.filter(([id]) => id === e.passenger.id).map(([, step]) => step).sort()).toEqual([1, 2]);
      }
    });
  });

  describe("when paused", () => {
    it("refuses run now with DBUS_DSP_PAUSED and starts nothing on a tick", async () => {
      const d = dispatcher(registryWith({}));
      d.pause();
      expect(d.state).toBe("paused");
      await expect(d.runNow("acme", "test/item")).rejects.toMatchObject({ code: "DBUS_DSP_PAUSED" });
      await d.tick();
      expect(d.running()).toHaveLength(0);
    });
  });
});
