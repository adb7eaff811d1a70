/**
 * Memory over a long run: N passengers (1 KB payload) through 1 puller → 1 processor → 2 pushers,
 * BATCH per run, on the durable JSON store, with RSS and heap printed at start, every tenth and end.
 * `bun bench/memory.ts [N = 20000] [--batch 1000] [--keep] [--engine json|sqlite]`; the full size is
 * `bun bench/memory.ts 100000`. By default complete entries are purged at the end of each run
 * (queue_life_span 0: the steady state of a long run); --keep leaves them queued, so the store's
 * in-memory index grows by design and the growth per entry shows.
 */
import { openPipeline, parseEngine, takeOption } from "./lib/pipeline";
import { rssMb } from "./lib/proc";

const args = process.argv.slice(2);
const ENGINE = parseEngine(takeOption(args, "--engine", "json"));
const BATCH = Number(takeOption(args, "--batch", "1000"));
const KEEP = args.includes("--keep");
const N = Number(args.filter((a) => !a.startsWith("--"))[0] ?? 20_000);

const sample = () => {
  Bun.gc(true);
  return { rss: rssMb(), heap: process.memoryUsage().heapUsed / 1024 / 1024 };
};
const pipeline = await openPipeline({ engine: ENGINE, total: N, perRun: BATCH, payloadBytes: 1000, attachmentBytes: 0, queueLifeSpanDays: KEEP ? 7 : 0 });
const start = sample();
console.log(`start: RSS ${start.rss.toFixed(0)} MB, heap ${start.heap.toFixed(0)} MB (${ENGINE} store, ${BATCH} per run, ${KEEP ? "entries kept" : "complete entries purged each run"})`);
const t0 = performance.now();
let afterFirst = start;
let nextReport = N / 10;
let runs = 0;
// The rate of each tenth besides the one since the start: an average over the whole run hides a
// stall of a few seconds (a checkpoint's sync, the disk writing back earlier files).
let tenthStarted = t0;
let tenthPulled = 0;
let slowest = { seconds: 0, at: 0 };
/** RSS at each tenth: its range, and its change over the second half, tell a plateau from a leak. */
const tenths: number[] = [];
while (pipeline.pushed() < 2 * N && runs < Math.ceil(N / BATCH) + 10) {
  const runStarted = performance.now();
  await pipeline.runOnce();
  const runSeconds = (performance.now() - runStarted) / 1000;
  if (runSeconds > slowest.seconds) slowest = { seconds: runSeconds, at: pipeline.pulled() };
  runs++;
  if (runs === 1) afterFirst = sample();
  if (pipeline.pulled() >= nextReport) {
    const now = performance.now();
    const rate = pipeline.pulled() / ((now - t0) / 1000);
    const tenthRate = (pipeline.pulled() - tenthPulled) / ((now - tenthStarted) / 1000);
    const m = sample();
    tenths.push(m.rss);
    console.log(
      `${pipeline.pulled().toLocaleString("en-US").padStart(8)} passengers: RSS ${m.rss.toFixed(0)} MB, heap ${m.heap.toFixed(0)} MB ` +
        `(${rate.toFixed(0)}/s since the start, ${tenthRate.toFixed(0)}/s this tenth)`,
    );
    nextReport += N / 10;
    tenthStarted = performance.now();
    tenthPulled = pipeline.pulled();
  }
}
console.log(`slowest run: ${slowest.seconds.toFixed(2)} s for up to ${BATCH.toLocaleString("en-US")} passengers (the one ending at ${slowest.at.toLocaleString("en-US")})`);
const end = sample();
const pushed = pipeline.pushed();
await pipeline.close();
if (pushed !== 2 * N) throw new Error(`expected ${2 * N} pushes, got ${pushed}`);
const growthPer1k = ((end.rss - afterFirst.rss) / Math.max(1, N - BATCH)) * 1000;
console.log(`after the first run: RSS ${afterFirst.rss.toFixed(0)} MB; growth since then ${(end.rss - afterFirst.rss).toFixed(0)} MB (${growthPer1k.toFixed(2)} MB per 1,000 passengers)`);
// The store's buffers fill over the first tenths and then hold: "start → end" alone reads like a
// leak. The second half's change is the trend once they are full (half-way tenth → last tenth).
if (tenths.length === 0) tenths.push(end.rss);
const secondHalf = tenths.at(-1)! - tenths[Math.max(0, Math.floor(tenths.length / 2) - 1)]!;
console.log(
  `memory: RSS ${start.rss.toFixed(0)} MB at start, ${end.rss.toFixed(0)} MB after ${N.toLocaleString("en-US")} passengers ` +
    `(heap ${start.heap.toFixed(0)} → ${end.heap.toFixed(0)} MB; ${KEEP ? "entries kept" : "purged each run"}; ` +
    `${Math.min(...tenths).toFixed(0)}–${Math.max(...tenths).toFixed(0)} MB at the tenths, ${secondHalf >= 0 ? "+" : "−"}${Math.abs(secondHalf).toFixed(0)} MB over the second half)`,
);
