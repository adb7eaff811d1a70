import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../../../src/core/clock";
import { Dispatcher } from "../../../src/dispatcher/dispatcher";
import { PluginRegistry, type PluginKind } from "../../../src/plugins/registry";
import { Passenger, Puller, Pusher } from "../../../src/sdk/index";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";

class Item extends Passenger<{ n: number }> {}
const items = () => [new Item({ external_id: "x1", payload: { n: 1 } }), new Item({ external_id: "x2", payload: { n: 2 } })];

const told: string[][] = [];
class Silent extends Puller<Item> {
  pull() {
    return items();
  }
}
class Telling extends Puller<Item> {
  pull() {
    return items();
  }
  override notifySeated(passengers: Item[]) {
    told.push(passengers.map((p) => p.external_id).sort());
  }
}
class Count extends Pusher<Item> {
  push() {}
}

const SEAT_TIME = "2026-01-01T00:00:00.000Z";

describe("The notify step", () => {
  let dir: string;
  let db: Database;
  const clock: Clock = { now: () => Date.parse(SEAT_TIME) };
  let dispatcher: Dispatcher | undefined;
  /** Step indexes the dispatcher stored changes for, after the seat. */
  let updated: number[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "databus-notify-"));
    db = createJsonDatabase(join(dir, "data"), { clock });
    await db.open();
    told.length = 0;
    updated = [];
    const updateSteps = db.updateSteps.bind(db);
    db.updateSteps = async (client, updates) => {
      updated.push(...updates.map((u) => u.stepIndex));
      return updateSteps(client, updates);
    };
  });
  afterEach(async () => {
    await dispatcher?.shutdown();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function runWith(puller: new () => Puller<Item>): Promise<void> {
    await db.createClient("acme", JSON.stringify({ passengers: [{ name: "test/item", pullers: ["test/puller"], pushers: ["test/push"] }] }));
    const registry = new PluginRegistry();
    const classes: Record<string, [PluginKind, unknown]> = { "test/item": ["passenger", Item], "test/puller": ["puller", puller], "test/push": ["pusher", Count] };
    for (const [name, [kind, cls]] of Object.entries(classes)) registry.set({ status: "loaded", name, kind, file: null, cls: cls as never });
    dispatcher = new Dispatcher({ db, registry, clock, home: dir, tickMs: 3_600_000, concurrency: 1, graceMs: 1000 });
    dispatcher.start();
    await dispatcher.idle();
  }

  it("is done with the seat itself when the puller has no notifySeated: no change of its own is stored", async () => {
    await runWith(Silent);
    const { entries } = await db.listEntries("acme", {}, { offset: 0, limit: 10 });
    expect(entries).toHaveLength(2);
    for (const e of entries) {
      expect(e.steps[0]).toMatchObject({ kind: "notify", name: "test/puller", state: "done", attempts: 1, updated_at: SEAT_TIME });
      expect(e.completed_at).toBe(SEAT_TIME);
    }
    // Only the pusher's step (index 1) went to the store after the seat.
    expect(new Set(updated)).toEqual(new Set([1]));
  });

  it("calls notifySeated with the seated passengers and then records the step, when the puller has one", async () => {
    await runWith(Telling);
    expect(told).toEqual([["x1", "x2"]]);
    const { entries } = await db.listEntries("acme", {}, { offset: 0, limit: 10 });
    for (const e of entries) expect(e.steps[0]).toMatchObject({ kind: "notify", state: "done", attempts: 1 });
    expect(updated.filter((i) => i === 0)).toHaveLength(2);
  });
});
