/**
 * Throughput: N passengers (1 KB payload) through 1 puller → 1 processor → 2 pushers on the JSON
 * store with durability on (every write fsync'd), driven by the real dispatcher. Prints
 * passengers per second end to end as its last line. `bun bench/throughput.ts [N]`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../src/core/clock";
import { Dispatcher } from "../src/dispatcher/dispatcher";
import { PluginRegistry, type PluginKind } from "../src/plugins/registry";
import { Passenger, Processor, Puller, Pusher } from "../src/sdk/index";
import { createJsonDatabase } from "../src/storage/json/index";

const N = Number(process.argv[2] ?? 2000);
const PAYLOAD = "x".repeat(1000);

class Item extends Passenger<{ n: number; body: string; stamped?: boolean }> {}
class BenchPuller extends Puller<Item> {
  pull() {
    return Array.from({ length: N }, (_, n) => new Item({ external_id: `item-${n}`, payload: { n, body: PAYLOAD } }));
  }
}
class Stamp extends Processor<Item> {
  process(p: Item) {
    p.payload.stamped = true;
  }
}
let pushed = 0;
class Count extends Pusher<Item> {
  push() {
    pushed++;
  }
}

const registry = new PluginRegistry();
const plugins: Record<string, [PluginKind, new () => unknown]> = {
  "bench/item": ["passenger", Item as never],
  "bench/puller": ["puller", BenchPuller],
  "bench/stamp": ["processor", Stamp],
  "bench/push_a": ["pusher", Count],
  "bench/push_b": ["pusher", Count],
};
for (const [name, [kind, cls]] of Object.entries(plugins)) registry.set({ status: "loaded", name, kind, file: null, cls });

const home = await mkdtemp(join(tmpdir(), "databus-bench-"));
const db = createJsonDatabase(join(home, "data"));
await db.open();
await db.createClient("bench", JSON.stringify({
  passengers: [{ name: "bench/item", pullers: ["bench/puller"], processors: ["bench/stamp"], pushers: ["bench/push_a", "bench/push_b"] }],
}));
const dispatcher = new Dispatcher({ db, registry, clock: systemClock, home, tickMs: 3_600_000, concurrency: 1, graceMs: 1000, batchLimit: N });
const started = performance.now();
dispatcher.start();
await dispatcher.idle();
const seconds = (performance.now() - started) / 1000;
const counts = await db.countEntries("bench");
await dispatcher.shutdown();
await db.close();
await rm(home, { recursive: true, force: true });
if (counts.complete !== N || pushed !== 2 * N) throw new Error(`expected ${N} complete and ${2 * N} pushes, got ${counts.complete} and ${pushed}`);
console.log(`${N} passengers, 1 KB payload, json store, durable: ${seconds.toFixed(2)} s`);
console.log(`throughput: ${(N / seconds).toFixed(0)} passengers/s`);
