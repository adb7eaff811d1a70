/**
 * Many idle tenants: CLIENTS clients × 3 definitions whose pullers return nothing, on the JSON store,
 * driven by the real Dispatcher in this process (no web server). Measures the time for one tick to
 * start every due run, the CPU of one whole round and of a tick with nothing due, and the CPU used
 * over one tick period as % of one core (process.cpuUsage, user + system). Target: under 5 %.
 * `bun bench/tenants.ts [clients = 1000] [--tick 60] [--concurrency 8]` (tick in seconds; every
 * definition's sync_frequency equals the tick, so each tick starts every run once, like the defaults
 * of 60 s and 1 minute). A faster tick does the same work per tick, more often: the CPU of a round
 * divided by 60 s is then the figure at the default tick.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Dispatcher } from "../src/dispatcher/dispatcher";
import { PluginRegistry } from "../src/plugins/registry";
import { Passenger, Puller, Pusher } from "../src/sdk/index";
import { createJsonDatabase } from "../src/storage/json/index";
import { Layout } from "../src/storage/json/layout";
import { loadDiskLimits, ratioText } from "./lib/disk";
import { takeOption } from "./lib/pipeline";
import { rssMb } from "./lib/proc";
import { removeScratch, scratchDir } from "./lib/scratch";

const args = process.argv.slice(2);
const TICK_S = Number(takeOption(args, "--tick", "60"));
const CONCURRENCY = Number(takeOption(args, "--concurrency", "8"));
const CLIENTS = Number(args[0] ?? 1000);
const DEFINITIONS = ["tenant/orders", "tenant/invoices", "tenant/returns"];
const RUNS = CLIENTS * DEFINITIONS.length;
const DEFAULT_TICK_S = 60;

class Nothing extends Passenger {}
class IdlePuller extends Puller<Nothing> {
  pull() {
    return [];
  }
}
class NeverPushed extends Pusher<Nothing> {
  push() {
    throw new Error("nothing was pulled, so nothing is pushed");
  }
}
const registry = new PluginRegistry();
for (const name of DEFINITIONS) registry.set({ status: "loaded", name, kind: "passenger", file: null, cls: Nothing as never });
registry.set({ status: "loaded", name: "tenant/puller", kind: "puller", file: null, cls: IdlePuller });
registry.set({ status: "loaded", name: "tenant/pusher", kind: "pusher", file: null, cls: NeverPushed });

// The configs are written straight into the layout (no fsync): this measures ticking, not creating clients.
const home = scratchDir("tenants-");
const layout = new Layout(join(home, "data"));
const config = JSON.stringify({
  passengers: DEFINITIONS.map((name) => ({ name, pullers: ["tenant/puller"], pushers: ["tenant/pusher"], sync_frequency: `${TICK_S}s` })),
});
for (let c = 0; c < CLIENTS; c++) {
  const client = `tenant${String(c).padStart(4, "0")}`;
  await mkdir(layout.queueDir(client), { recursive: true });
  await writeFile(layout.configFile(client), config);
}
const db = createJsonDatabase(join(home, "data"));
let t = performance.now();
await db.open();
console.log(`${CLIENTS} clients × ${DEFINITIONS.length} definitions; store opened in ${(performance.now() - t).toFixed(0)} ms`);

// Every run begins with its lease (granted at once on the json store): counting claims counts started
// runs. (Not createLog: a run that finds nothing leaves no log.)
let started = 0;
let lastStartAt = 0;
let firstStartWall: number | undefined;
// The dispatcher's clock: real time, frozen at the first run's start for the ticks with nothing due.
let frozen: number | undefined;
const clock = { now: () => frozen ?? Date.now() };
const claimRun = db.claimRun.bind(db);
db.claimRun = (...a: Parameters<typeof claimRun>) => {
  started++;
  lastStartAt = performance.now();
  firstStartWall ??= Date.now();
  return claimRun(...a);
};
const reports: string[] = [];
// The timer itself never fires during the bench: start() ticks once (every run is due), and that one
// round plus the quiet rest of the tick period is exactly what the default tick repeats each minute.
const dispatcher = new Dispatcher({
  db, registry, clock, home, tickMs: 3_600_000, concurrency: CONCURRENCY, graceMs: 5000,
  report: (line) => reports.push(line),
});

const rssBefore = rssMb();
const cpuAtStart = process.cpuUsage();
const t0 = performance.now();
dispatcher.start();
await dispatcher.idle();
const allStartedMs = lastStartAt - t0;
const roundMs = performance.now() - t0;
const roundCpuS = cpuSeconds(process.cpuUsage(cpuAtStart));
// The rest of the tick period, quiet: no run is due until the next tick.
const windowEnd = t0 + TICK_S * 1000;
if (performance.now() < windowEnd) await Bun.sleep(windowEnd - performance.now());
const windowS = (performance.now() - t0) / 1000;
const windowCpuS = cpuSeconds(process.cpuUsage(cpuAtStart));
const rssAfter = rssMb();

// Ticks with nothing due (every definition started "just now"): the cost of looking at every client.
frozen = firstStartWall;
const emptyTicks: number[] = [];
const cpuEmpty = process.cpuUsage();
for (let i = 0; i < 5; i++) {
  t = performance.now();
  await dispatcher.tick();
  emptyTicks.push(performance.now() - t);
}
const emptyTickCpuMs = (cpuSeconds(process.cpuUsage(cpuEmpty)) * 1000) / emptyTicks.length;
if (started !== RUNS) throw new Error(`ticks with nothing due started runs: ${started - RUNS}`);
await dispatcher.shutdown();
await db.close();
removeScratch(home);
if (reports.length > 0) console.log(`dispatcher reports (${reports.length}), first: ${reports[0]}`);

const percentAtTick = (100 * windowCpuS) / windowS;
const percentAtDefault = (100 * roundCpuS) / Math.max(DEFAULT_TICK_S, roundMs / 1000);
emptyTicks.sort((a, b) => a - b);
console.log(`one tick started all ${RUNS} runs in ${(allStartedMs / 1000).toFixed(2)} s (concurrency ${CONCURRENCY}); all finished after ${(roundMs / 1000).toFixed(2)} s`);
// An empty run still makes its log durable: created, its lines appended, finished.
const runsPerSec = RUNS / (roundMs / 1000);
console.log(`round: ${runsPerSec.toFixed(0)} runs/s; ×3 log writes each = ${ratioText(runsPerSec * 3, loadDiskLimits()?.fileWritesPerSec, "the disk's durable file writes")}`);
console.log(`CPU of the whole round: ${roundCpuS.toFixed(2)} s (${((roundCpuS * 1000) / RUNS).toFixed(2)} ms per empty run)`);
console.log(`CPU over one ${TICK_S} s tick period: ${windowCpuS.toFixed(2)} s in ${windowS.toFixed(1)} s = ${percentAtTick.toFixed(1)} % of one core`);
if (roundMs > TICK_S * 1000) console.log(`the round took longer than the tick: the next tick would find runs still going (the dispatcher never rests)`);
if (TICK_S !== DEFAULT_TICK_S) console.log(`scaled to the default ${DEFAULT_TICK_S} s tick (one round a minute): ${percentAtDefault.toFixed(1)} % of one core`);
const idlePercent = emptyTickCpuMs / (DEFAULT_TICK_S * 10);
console.log(`a tick with nothing due (${CLIENTS} clients read and checked): median ${emptyTicks[2]!.toFixed(0)} ms, CPU ${emptyTickCpuMs.toFixed(0)} ms = ${idlePercent.toFixed(2)} % of one core once a minute`);
console.log(`RSS ${rssBefore.toFixed(0)} MB before the first tick, ${rssAfter.toFixed(0)} MB after the round`);
const percent = TICK_S === DEFAULT_TICK_S ? percentAtTick : percentAtDefault;
console.log(
  `tenants: ${percent.toFixed(1)} % of one core at the ${DEFAULT_TICK_S} s tick (${(percent / 5).toFixed(2)}× target 5 %); ` +
    `one tick starts ${RUNS} runs in ${(allStartedMs / 1000).toFixed(1)} s; a tick with nothing due ${emptyTickCpuMs.toFixed(0)} ms CPU`,
);

function cpuSeconds(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1e6;
}
