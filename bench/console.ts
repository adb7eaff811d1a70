/**
 * Console latency: one client with ENTRIES queue entries and LOGS run logs (defaults 200,000 and
 * 100,000), then the median and p95 of the pages people use most, through app.handle with a
 * logged-in session. `bun bench/console.ts [entries] [logs] [requests]`. Target: p95 under 50 ms.
 *
 * The data is written straight into the JSON layout without fsync: this measures reading pages,
 * not seating (bench/throughput.ts does that). It is kept in $DATABUS_BENCH_DATA (default
 * <tmp>/databus-bench-data) and shared with bench/startup.ts; BENCH_HOME=<folder> uses that folder.
 */
import { join } from "node:path";
import { systemClock } from "../src/core/clock";
import { Dispatcher } from "../src/dispatcher/dispatcher";
import { PluginRegistry } from "../src/plugins/registry";
import { createJsonDatabase } from "../src/storage/json/index";
import { Layout } from "../src/storage/json/layout";
import { createApp } from "../src/web/app";
import { Browser } from "../test/support/web";
import { BENCH_PASSWORD, filledHome, fillLogs, fillQueue, writeClientConfig } from "./lib/fill";

const ENTRIES = Number(process.argv[2] ?? 200_000);
const LOGS = Number(process.argv[3] ?? 100_000);
const REQUESTS = Number(process.argv[4] ?? 200);
const CLIENT = "bench";

// BENCH_HOME=<folder> keeps the filled data there and reuses it on the next run (for profiling).
const keep = process.env.BENCH_HOME;
const home = keep ?? (await filledHome(ENTRIES, LOGS));
const reuse = keep === undefined || (await Bun.file(join(home, "data/clients", "bench", "config.json")).exists());
const layout = new Layout(join(home, "data"));
const password = BENCH_PASSWORD;
let t = performance.now();
if (!reuse) {
  await writeClientConfig(layout, CLIENT, await Bun.password.hash(password, { algorithm: "argon2id" }));
  await fillQueue(layout, CLIENT, ENTRIES);
  await fillLogs(layout, CLIENT, LOGS);
  console.log(`filled ${ENTRIES} entries and ${LOGS} logs in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

t = performance.now();
const db = createJsonDatabase(join(home, "data"));
await db.open();
console.log(`opened the store (index rebuild) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
await db.countEntries(CLIENT);
t = performance.now();
await db.listLogs(CLIENT, {}, { offset: 0, limit: 1 });
console.log(`first log list (log index) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const dispatcher = new Dispatcher({ db, registry: new PluginRegistry(), clock: systemClock, home, tickMs: 3_600_000, concurrency: 1, graceMs: 1000 });
const app = createApp({ db, dispatcher, settings: { alias: "BENCH", home }, version: "bench" });
const browser = new Browser(app);
const login = await browser.login(CLIENT, "bench", password);
if (login.status >= 400) throw new Error(`login failed with ${login.status}`);

const PAGES: Array<[string, string]> = [
  ["queue list", "/queue"],
  ["queue, filtered", "/queue?state=failed&text=order-1"],
  // Text alone is a substring scan of every entry: the slowest list, shown so it is not forgotten.
  ["queue, text only", "/queue?text=order-1"],
  ["queue, page 2000", "/queue?page=2000"],
  ["log list", "/logs"],
  ["home", "/"],
];
const rows: string[] = [];
let worstP95 = 0;
for (const [name, path] of PAGES) {
  const firstStarted = performance.now();
  const first = await browser.get(path);
  console.log(`${name}: first request ${(performance.now() - firstStarted).toFixed(0)} ms`);
  if (first.status !== 200) {
    rows.push(`${name.padEnd(18)} HTTP ${first.status} (page missing?)`);
    continue;
  }
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const s = performance.now();
    await browser.get(path);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  rows.push(`${name.padEnd(18)} median ${at(0.5).padStart(7)} ms   p95 ${at(0.95).padStart(7)} ms`);
  worstP95 = Math.max(worstP95, Number(at(0.95)));
}
await db.close();
console.log(`\n${ENTRIES} entries, ${LOGS} logs, ${REQUESTS} requests per page (target: p95 under 50 ms)`);
for (const r of rows) console.log(r);
console.log(`console: worst page p95 ${worstP95.toFixed(1)} ms at ${ENTRIES} entries (target 50 ms)`);
