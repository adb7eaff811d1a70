import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Clock } from "../../../src/core/clock";
import { Dispatcher } from "../../../src/dispatcher/dispatcher";
import { PluginRegistry } from "../../../src/plugins/registry";
import { Passenger, Puller, Pusher } from "../../../src/sdk/index";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

class Job extends Passenger<Record<string, never>> {}
class OnePuller extends Puller<Job> {
  pull() {
    return [new Job({ external_id: "job-1" })];
  }
}
let targetUp = false;
const attemptsAt: number[] = [];
let now = Date.parse("2026-03-01T12:00:00Z");
const T0 = now;
class DownPusher extends Pusher<Job> {
  push() {
    attemptsAt.push(now - T0);
    if (!targetUp) throw new Error("the target is down");
  }
}

describe("backoff (fake clock)", () => {
  let t: TempHome;
  let db: Database;
  let d: Dispatcher;
  const clock: Clock = { now: () => now };
  const tickAt = async (ms: number) => {
    now = T0 + ms;
    await d.tick();
    await d.idle();
  };
  const step = async () => (await db.listEntries("acme", {}, { offset: 0, limit: 1 })).entries[0]!.steps[1]!;

  beforeEach(async () => {
    t = await createTempHome("databus-backoff-");
    db = createJsonDatabase(t.dataDir, { clock });
    await db.open();
    await db.createClient("acme", JSON.stringify({
      passengers: [{ name: "t/job", pullers: ["t/puller"], pushers: ["t/pusher"], sync_frequency: "1s", retry: { base: "10s", max_delay: "1m", max_attempts: 3 } }],
    }));
    const registry = new PluginRegistry();
    registry.set({ status: "loaded", name: "t/job", kind: "passenger", file: null, cls: Job });
    registry.set({ status: "loaded", name: "t/puller", kind: "puller", file: null, cls: OnePuller });
    registry.set({ status: "loaded", name: "t/pusher", kind: "pusher", file: null, cls: DownPusher });
    // random() = 0: each delay is exactly half of base × 2^(n−1), so attempt times are known.
    d = new Dispatcher({ db, registry, clock, home: t.home, tickMs: 3_600_000, concurrency: 2, graceMs: 1000, random: () => 0 });
    targetUp = false;
    attemptsAt.length = 0;
    now = T0;
  });
  afterEach(async () => {
    await d.shutdown();
    await db.close();
    await t.cleanup();
  });

  it("tries again when the policy says, not before, and leaves the entry dead after max_attempts", async () => {
    d.start();
    await d.idle();
    expect(await step()).toMatchObject({ state: "failed", attempts: 1, next_attempt_at: new Date(T0 + 5000).toISOString() });
    for (const ms of [1000, 2000, 3900]) await tickAt(ms); // runs start (sync_frequency 1s) but the step waits
    expect(attemptsAt).toEqual([0]);
    await tickAt(5000);
    expect(await step()).toMatchObject({ attempts: 2, next_attempt_at: new Date(T0 + 15_000).toISOString() });
    await tickAt(14_000);
    await tickAt(15_000);
    expect(attemptsAt).toEqual([0, 5000, 15_000]);
    expect(await step()).toMatchObject({ state: "failed", attempts: 3, next_attempt_at: null });
    expect(await db.countEntries("acme")).toMatchObject({ dead: 1 });
    await tickAt(3_600_000);
    expect(attemptsAt).toHaveLength(3);
    const log = (await db.listLogs("acme", { level: "error" }, { offset: 0, limit: 1 })).logs[0]!;
    expect((await db.readLog("acme", log.id))!.entries.some((e) => e.message.startsWith("DBUS_RUN_DEAD"))).toBe(true);
  });

  it("delivers once a person retries a dead entry and the target is back", async () => {
    d.start();
    await d.idle();
    await tickAt(5000);
    await tickAt(15_000);
    expect(await db.countEntries("acme")).toMatchObject({ dead: 1 });
    const entry = (await db.listEntries("acme", {}, { offset: 0, limit: 1 })).entries[0]!;
    await db.updateStep("acme", entry.passenger.id, 1, { action: "retry", at: new Date(now).toISOString() });
    targetUp = true;
    await tickAt(20_000);
    expect(await step()).toMatchObject({ state: "done", attempts: 1 });
    expect(await db.countEntries("acme")).toMatchObject({ complete: 1, dead: 0 });
  });
});
