/**
 * Throughput: N passengers (1 KB payload, optionally a binary attachment each) through
 * 1 puller → 1 processor → 2 pushers on the JSON store (or sqlite) with durability on, driven by the
 * real dispatcher. Prints passengers per second end to end as its last line, with its ratio to the
 * Python original (17/s), to the target and to the disk's limits (bench/fsync.ts).
 * `bun bench/throughput.ts [N = 10000] [--engine json|sqlite] [--attachment-kb 10] [--batch N] [--clients K] [--runs 3]`.
 *
 * With --clients K the N passengers are split between K clients (tenants) whose runs go side by
 * side (dispatcher concurrency K), as on a server with many clients: then the store's commits of
 * different runs overlap, which one client's run alone never shows.
 *
 * With --runs R (3 unless told) each run is a fresh process with a fresh home, and the figure is
 * their median: the same code gives runs 10-30 % apart on this machine (the JIT's threads and the
 * file writer share two cores with the dispatcher), and one unlucky run should not be the figure.
 * The homes stay until the last run is over: deleting one run's files slows the next (lib/scratch.ts).
 */
import { loadDiskLimits, ratio, ratioText } from "./lib/disk";
import { openPipeline, parseEngine, takeOption } from "./lib/pipeline";
import { peakRssMb, threadCpu, threadCpuText } from "./lib/proc";
import { removeScratch, scratchDir } from "./lib/scratch";

const PYTHON_ORIGINAL = 17; // passengers/s: 1,000 passengers, JSON files, no fsync at all
const args = process.argv.slice(2);
const RUNS = Number(takeOption(args, "--runs", "3"));
const given = [...args]; // without --runs: each run is started with --runs 1
const ENGINE = parseEngine(takeOption(args, "--engine", "json"));
const ATTACHMENT_KB = Number(takeOption(args, "--attachment-kb", "0"));
const batchText = takeOption(args, "--batch", "");
const CLIENTS = Number(takeOption(args, "--clients", "1"));
const N = Number(args[0] ?? 10_000);
const BATCH = batchText === "" ? N / CLIENTS : Number(batchText);
const TARGET = ATTACHMENT_KB > 0 ? 2000 : 5000;
const what =
  `${ATTACHMENT_KB > 0 ? `1 KB payload + ${ATTACHMENT_KB} KB attachment` : "1 KB payload"}, ${ENGINE} store, durable` +
  (CLIENTS > 1 ? `, ${CLIENTS} clients at once` : "");

if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs needs a whole number of at least 1, got ${RUNS}`);
report(RUNS === 1 ? await runOnce() : medianOfRuns());

/** One run in this process: passengers per second. */
async function runOnce(): Promise<number> {
  const pipeline = await openPipeline({ engine: ENGINE, total: N, clients: CLIENTS, perRun: BATCH, payloadBytes: 1000, attachmentBytes: ATTACHMENT_KB * 1024 });
  const cpuBefore = threadCpu();
  const started = performance.now();
  while (pipeline.pushed() < 2 * N && pipeline.pulled() < N) await pipeline.runOnce();
  // Entries whose pushes were left for a later batch (perRun < N) go out on further runs.
  for (let extra = 0; pipeline.pushed() < 2 * N && extra < 10; extra++) await pipeline.runOnce();
  const seconds = (performance.now() - started) / 1000;
  const cpu = threadCpuText(cpuBefore, threadCpu(), seconds);
  let complete = 0;
  for (const client of pipeline.clients) complete += (await pipeline.db.countEntries(client)).complete;
  const pushed = pipeline.pushed();
  await pipeline.close();
  if (complete !== N || pushed !== 2 * N) throw new Error(`expected ${N} complete and ${2 * N} pushes, got ${complete} and ${pushed}`);
  console.log(`${N} passengers, ${what}: ${seconds.toFixed(2)} s`);
  // Which thread bounds the run: the main thread alone (sqlite), or both cores (json: its file writer and the JIT).
  console.log(`  ${cpu}`);
  // All of a batch is in memory at once (pulled, then its changes until their files are written): with --batch N one run holds N.
  console.log(`  peak RSS ${peakRssMb().toFixed(0)} MB (batches of ${BATCH.toLocaleString("en-US")})`);
  return N / seconds;
}

/** RUNS runs, each in its own process; their median. */
function medianOfRuns(): number {
  const homes = scratchDir("throughput-runs-");
  const rates: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const child = Bun.spawnSync([process.execPath, import.meta.path, ...given, "--runs", "1"], {
      env: { ...process.env, DATABUS_BENCH_DIR: homes, DATABUS_BENCH_KEEP: "1" },
      stdout: "pipe",
      stderr: "inherit",
    });
    const out = child.stdout.toString();
    const rate = Number(/^throughput: (\d+) passengers\/s/m.exec(out)?.[1]);
    if (child.exitCode !== 0 || !Number.isFinite(rate)) throw new Error(`run ${i} of ${RUNS} failed (exit ${child.exitCode}):\n${out}`);
    const lines = out.split("\n");
    console.log(`run ${i} of ${RUNS}: ${lines[0]} (${rate.toLocaleString("en-US")}/s)`);
    for (const detail of lines.filter((l) => l.startsWith("  CPU by thread") || l.startsWith("  peak RSS"))) console.log(`  ${detail.trim()}`);
    rates.push(rate);
  }
  removeScratch(homes);
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  console.log(`median of ${RUNS} runs: ${median.toLocaleString("en-US")}/s (runs ${rates.map((r) => r.toLocaleString("en-US")).join(", ")}/s)`);
  return median;
}

function report(rate: number): void {
  const disk = loadDiskLimits();
  console.log(`  vs the Python original (17/s): ${(rate / PYTHON_ORIGINAL).toFixed(1)}×`);
  console.log(`  vs the target (${TARGET.toLocaleString("en-US")}/s): ${ratio(rate, TARGET)}`);
  // A passenger is one seat and two delivery records at least: each is a record in a journal, or a file write without one.
  console.log(`  passengers/s as ${ratioText(rate, disk?.fileWritesPerSec, "the disk's durable file writes")}`);
  console.log(`  passengers/s as ${ratioText(rate, disk?.journalRecordsPerSec, "the disk's journal records")}`);
  // The json store makes one entry folder per passenger: the rate at which this disk makes them caps it.
  if (ENGINE === "json") console.log(`  passengers/s as ${ratioText(rate, disk?.entryFoldersPerSec, "the disk's entry folders")}`);
  console.log(
    `throughput: ${rate.toFixed(0)} passengers/s (${ENGINE}${ATTACHMENT_KB > 0 ? `, +${ATTACHMENT_KB} KB` : ""}${CLIENTS > 1 ? `, ${CLIENTS} clients` : ""}; ` +
      (RUNS > 1 ? `median of ${RUNS}; ` : "") +
      `${(rate / PYTHON_ORIGINAL).toFixed(1)}× Python, ${ratio(rate, TARGET)} target ${TARGET}` +
      (disk ? `, ${ratio(rate, disk.fileWritesPerSec)} disk file writes/s, ${ratio(rate, disk.journalRecordsPerSec)} journal records/s` : "") +
      (disk?.entryFoldersPerSec && ENGINE === "json" ? `, ${ratio(rate, disk.entryFoldersPerSec)} entry folders/s)` : ")"),
  );
}
