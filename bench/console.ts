/**
 * Console latency: one client with ENTRIES queue entries and LOGS run logs (defaults 200,000 and
 * 100,000), then the median and p95 of the pages people use most, through app.handle with a
 * logged-in session. `bun bench/console.ts [entries] [logs] [requests]`. Target: p95 under 50 ms.
 *
 * The data is written straight into the JSON layout without fsync: this measures reading pages,
 * not seating (bench/throughput.ts does that).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../src/core/clock";
import { uuidv7 } from "../src/core/ids";
import { initialSteps } from "../src/core/queue-entry";
import { applyStepAction } from "../src/core/step-status";
import { Dispatcher } from "../src/dispatcher/dispatcher";
import { PluginRegistry } from "../src/plugins/registry";
import { createJsonDatabase } from "../src/storage/json/index";
import { Layout } from "../src/storage/json/layout";
import { createApp } from "../src/web/app";
import { Browser } from "../test/support/web";

const ENTRIES = Number(process.argv[2] ?? 200_000);
const LOGS = Number(process.argv[3] ?? 100_000);
const REQUESTS = Number(process.argv[4] ?? 200);
const CLIENT = "bench";
const DEFINITIONS = ["bench/orders", "bench/invoices", "bench/returns"];
const START = Date.parse("2026-01-01T00:00:00Z");

// BENCH_HOME=<folder> keeps the filled data there and reuses it on the next run (for profiling).
const keep = process.env.BENCH_HOME;
const home = keep ?? (await mkdtemp(join(tmpdir(), "databus-bench-console-")));
const reuse = keep !== undefined && (await Bun.file(join(home, "data/clients", "bench", "config.json")).exists());
const layout = new Layout(join(home, "data"));
const password = "bench-password";
const config = {
  passengers: DEFINITIONS.map((name) => ({ name, pullers: ["databus/demo/puller_1"], pushers: ["databus/demo/pusher_1"] })),
  users: [{ username: "bench", role: "administrator", password_hash: await Bun.password.hash(password, { algorithm: "argon2id" }) }],
};
let t = performance.now();
if (!reuse) {
  await mkdir(layout.queueDir(CLIENT), { recursive: true });
  await writeFile(layout.configFile(CLIENT), JSON.stringify(config, null, 2));
  await fillQueue();
  await fillLogs();
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
if (!keep) await rm(home, { recursive: true, force: true });
console.log(`\n${ENTRIES} entries, ${LOGS} logs, ${REQUESTS} requests per page (target: p95 under 50 ms)`);
for (const r of rows) console.log(r);
console.log(`console: worst page p95 ${worstP95.toFixed(1)} ms at ${ENTRIES} entries (target 50 ms)`);

/** Entries across three definitions; every 10th failed, every 50th dead, the rest complete. */
async function fillQueue(): Promise<void> {
  const batch: Promise<void>[] = [];
  for (let i = 0; i < ENTRIES; i++) {
    const at = new Date(START + i * 1000).toISOString();
    const id = uuidv7(START + i * 1000);
    const type = DEFINITIONS[i % DEFINITIONS.length]!;
    let steps = initialSteps("databus/demo/puller_1", [], ["databus/demo/pusher_1"], at);
    steps = [applyStepAction(steps[0]!, { action: "succeed", at }, id), steps[1]!];
    if (i % 50 === 0) steps[1] = applyStepAction(steps[1]!, { action: "fail", at, error: "refused", nextAttemptAt: null }, id);
    else if (i % 10 === 0) steps[1] = applyStepAction(steps[1]!, { action: "fail", at, error: "timeout", nextAttemptAt: at }, id);
    else steps[1] = applyStepAction(steps[1]!, { action: "succeed", at }, id);
    const complete = steps.every((s) => s.state === "done");
    const passenger = { id, type, external_id: `order-${i}`, source_system: "shop", pulled_at: at, puller: "databus/demo/puller_1", payload: { n: i }, log_ids: [], attachments: [] };
    const dir = layout.entryDir(CLIENT, id);
    batch.push(
      mkdir(dir).then(() =>
        Promise.all([
          writeFile(join(dir, "passenger.json"), JSON.stringify(passenger)),
          writeFile(join(dir, "status.json"), JSON.stringify({ seated_at: at, completed_at: complete ? at : null, steps })),
        ]).then(() => undefined),
      ),
    );
    if (batch.length >= 256) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

async function fillLogs(): Promise<void> {
  await mkdir(join(layout.dataDir, "clients", CLIENT, "log"), { recursive: true });
  const batch: Promise<void>[] = [];
  for (let i = 0; i < LOGS; i++) {
    const at = new Date(START + i * 60_000).toISOString();
    const id = uuidv7(START + i * 60_000);
    const definition = DEFINITIONS[i % DEFINITIONS.length]!;
    const level = i % 20 === 0 ? "error" : "info";
    const log = {
      id, at, title: `run ${definition}`, definition, level, entries_count: 1,
      finished_at: at, counts: { pulled: 2, seated: 2, delivered: 2, failed: level === "error" ? 1 : 0 },
      entries: [{ at, level, source: "dispatcher", message: "Run finished." }],
    };
    batch.push(writeFile(layout.logFile(CLIENT, at, id), JSON.stringify(log)));
    if (batch.length >= 256) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}
