import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Clock } from "../../../src/core/clock";
import { Dispatcher } from "../../../src/dispatcher/dispatcher";
import { PluginRegistry } from "../../../src/plugins/registry";
import { Passenger, Puller, Pusher, type PushBatchItem, type PushContext } from "../../../src/sdk/index";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

class Row extends Passenger<{ n: number }> {}
class RowPuller extends Puller<Row> {
  pull() {
    return Array.from({ length: 5 }, (_, n) => new Row({ external_id: `row-${n}`, payload: { n } }));
  }
}
const calls: Array<{ kind: "batch"; keys: string[] } | { kind: "single"; key: string }> = [];
let rejectRow2 = true;
class BulkPusher extends Pusher<Row> {
  push(p: Row, ctx: PushContext) {
    calls.push({ kind: "single", key: ctx.idempotencyKey });
  }
  override pushBatch(items: PushBatchItem<Row>[]) {
    calls.push({ kind: "batch", keys: items.map((i) => i.idempotencyKey) });
    return items.map((i) => (rejectRow2 && i.passenger.external_id === "row-2" ? new Error("row 2 has no account number") : undefined));
  }
}

describe("pushBatch", () => {
  let t: TempHome;
  let db: Database;
  let d: Dispatcher;
  let now = Date.parse("2026-06-01T09:00:00Z");
  const clock: Clock = { now: () => now };

  beforeEach(async () => {
    t = await createTempHome("databus-batch-");
    db = createJsonDatabase(t.dataDir, { clock });
    await db.open();
    await db.createClient("acme", JSON.stringify({ passengers: [{ name: "t/row", pullers: ["t/puller"], pushers: ["t/bulk"], sync_frequency: "1m" }] }));
    const registry = new PluginRegistry();
    registry.set({ status: "loaded", name: "t/row", kind: "passenger", file: null, cls: Row });
    registry.set({ status: "loaded", name: "t/puller", kind: "puller", file: null, cls: RowPuller });
    registry.set({ status: "loaded", name: "t/bulk", kind: "pusher", file: null, cls: BulkPusher });
    d = new Dispatcher({ db, registry, clock, home: t.home, tickMs: 3_600_000, concurrency: 1, graceMs: 1000, random: () => 0 });
    calls.length = 0;
    rejectRow2 = true;
  });
  afterEach(async () => {
    await d.shutdown();
    await db.close();
    await t.cleanup();
  });

  it("hands the ready passengers over in one call and records each result on its own", async () => {
    d.start();
    await d.idle();
    expect(calls).toHaveLength(1);
    const batch = calls[0]!;
    expect(batch.kind === "batch" && batch.keys.length).toBe(5);
    const entries = (await db.listEntries("acme", {}, { offset: 0, limit: 10 })).entries.sort((a, b) => a.passenger.external_id.localeCompare(b.passenger.external_id));
    expect(batch.kind === "batch" && [...batch.keys].sort()).toEqual(entries.map((e) => `${e.passenger.id}:t/bulk`).sort());
    expect(entries.map((e) => [e.passenger.external_id, e.steps[1]!.state])).toEqual([
      ["row-0", "done"], ["row-1", "done"], ["row-2", "failed"], ["row-3", "done"], ["row-4", "done"],
    ]);
    expect(entries[2]!.steps[1]!.last_error).toContain("row 2 has no account number");
  });

  it("retries a lone failed passenger with push, under the same idempotency key", async () => {
    d.start();
    await d.idle();
    rejectRow2 = false;
    now += 31_000 + 60_000; // past the first backoff (15 s with this jitter) and the next run
    await d.tick();
    await d.idle();
    const row2 = (await db.listEntries("acme", { text: "row-2" }, { offset: 0, limit: 1 })).entries[0]!;
    expect(calls.at(-1)).toEqual({ kind: "single", key: `${row2.passenger.id}:t/bulk` });
    expect(await db.countEntries("acme")).toMatchObject({ complete: 5 });
  });
});
