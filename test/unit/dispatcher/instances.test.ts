/**
 * Two instances on one sqlite file (#5): a client passenger runs on one instance at a time, and an
 * instance that died loses its lease when it expires, so the other takes over.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import type { Clock } from "../../../src/core/clock";
import { Dispatcher } from "../../../src/dispatcher/dispatcher";
import { PluginRegistry } from "../../../src/plugins/registry";
import { Passenger, Puller, Pusher } from "../../../src/sdk/index";
import type { Database } from "../../../src/storage/database";
import { createSqliteDatabase } from "../../../src/storage/sqlite/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

class Job extends Passenger<Record<string, never>> {}
class JobPuller extends Puller<Job> {
  pull() {
    return [new Job({ external_id: "job" })];
  }
}
let release: () => void = () => {};
/** Set once a push has begun: the run is inside its pusher, holding its lease. */
let pushing = false;
class SlowPusher extends Pusher<Job> {
  push() {
    pushing = true;
    return new Promise<void>((r) => (release = r));
  }
}

describe("several instances on one database", () => {
  let t: TempHome;
  let dbA: Database;
  let dbB: Database;
  let now = Date.parse("2026-08-01T00:00:00Z");
  const clock: Clock = { now: () => now };
  const registry = new PluginRegistry();
  registry.set({ status: "loaded", name: "t/job", kind: "passenger", file: null, cls: Job });
  registry.set({ status: "loaded", name: "t/puller", kind: "puller", file: null, cls: JobPuller });
  registry.set({ status: "loaded", name: "t/slow", kind: "pusher", file: null, cls: SlowPusher });
  const dispatchers: Dispatcher[] = [];
  const dispatcher = (db: Database, instance: string) => {
    const d = new Dispatcher({ db, registry, clock, home: t.home, tickMs: 3_600_000, concurrency: 2, graceMs: 500, instance, leaseTtlMs: 60_000 });
    dispatchers.push(d);
    return d;
  };

  beforeEach(async () => {
    t = await createTempHome("databus-instances-");
    const file = join(t.dataDir, "databus.sqlite");
    dbA = createSqliteDatabase(file, { clock });
    await dbA.open();
    dbB = createSqliteDatabase(file, { clock });
    await dbB.open();
    await dbA.createClient("acme", JSON.stringify({ passengers: [{ name: "t/job", pullers: ["t/puller"], pushers: ["t/slow"] }] }));
  });
  afterEach(async () => {
    release();
    pushing = false;
    for (const d of dispatchers.splice(0)) await d.shutdown();
    await dbA.close();
    await dbB.close();
    await t.cleanup();
  });

  it("runs a client passenger on one instance at a time", async () => {
    const a = dispatcher(dbA, "node-a");
    const b = dispatcher(dbB, "node-b");
    a.start(); // the first tick starts the run at once
    while (!pushing) await Bun.sleep(10); // a is inside its run, pushing
    b.start();
    await b.idle(); // b found the lease held and left the run to a
    release();
    await a.idle();
    const runs = await dbB.listLogs("acme", { origin: "run" }, { offset: 0, limit: 10 });
    expect(runs.total).toBe(1);
    expect(await dbB.countEntries("acme")).toMatchObject({ complete: 1 });
  });

  it("lets another instance take over when the one holding the lease died", async () => {
    // node-a claimed the run and died: its lease is never renewed nor released.
    expect(await dbA.claimRun("acme", "t/job", "node-a", new Date(now).toISOString(), 60_000)).not.toBeNull();
    const b = dispatcher(dbB, "node-b");
    b.start();
    await b.idle();
    expect((await dbB.listLogs("acme", { origin: "run" }, { offset: 0, limit: 10 })).total).toBe(0);
    now += 61_000; // the lease expired, and the definition (every minute) is due again
    void b.tick();
    while (!pushing) await Bun.sleep(10);
    release();
    await b.idle();
    expect((await dbB.listLogs("acme", { origin: "run" }, { offset: 0, limit: 10 })).total).toBe(1);
    expect(await dbB.countEntries("acme")).toMatchObject({ complete: 1 });
  });
});
