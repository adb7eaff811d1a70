/**
 * Throughput: N passengers (1 KB payload, optionally a binary attachment each) through
 * 1 puller → 1 processor → 2 pushers on the JSON store (or sqlite) with durability on, driven by the
 * real dispatcher. Prints passengers per second end to end as its last line, with its ratio to the
 * Python original (17/s), to the target and to the disk's limits (bench/fsync.ts).
 * `bun bench/throughput.ts [N = 10000] [--engine json|sqlite] [--attachment-kb 10] [--batch N]`.
 */
import { loadDiskLimits, ratio, ratioText } from "./lib/disk";
import { openPipeline, parseEngine, takeOption } from "./lib/pipeline";

const PYTHON_ORIGINAL = 17; // passengers/s: 1,000 passengers, JSON files, no fsync at all
const args = process.argv.slice(2);
const ENGINE = parseEngine(takeOption(args, "--engine", "json"));
const ATTACHMENT_KB = Number(takeOption(args, "--attachment-kb", "0"));
const N = Number(args[0] ?? 10_000);
const BATCH = Number(takeOption(args, "--batch", String(N)));
const TARGET = ATTACHMENT_KB > 0 ? 2000 : 5000;

const pipeline = await openPipeline({ engine: ENGINE, total: N, perRun: BATCH, payloadBytes: 1000, attachmentBytes: ATTACHMENT_KB * 1024 });
const started = performance.now();
while (pipeline.pushed() < 2 * N && pipeline.pulled() < N) await pipeline.runOnce();
// Entries whose pushes were left for a later batch (perRun < N) go out on further runs.
for (let extra = 0; pipeline.pushed() < 2 * N && extra < 10; extra++) await pipeline.runOnce();
const seconds = (performance.now() - started) / 1000;
const counts = await pipeline.db.countEntries("bench");
const pushed = pipeline.pushed();
await pipeline.close();
if (counts.complete !== N || pushed !== 2 * N) throw new Error(`expected ${N} complete and ${2 * N} pushes, got ${counts.complete} and ${pushed}`);

const rate = N / seconds;
const disk = loadDiskLimits();
const what = `${ATTACHMENT_KB > 0 ? `1 KB payload + ${ATTACHMENT_KB} KB attachment` : "1 KB payload"}, ${ENGINE} store, durable`;
console.log(`${N} passengers, ${what}: ${seconds.toFixed(2)} s`);
console.log(`  vs the Python original (17/s): ${(rate / PYTHON_ORIGINAL).toFixed(1)}×`);
console.log(`  vs the target (${TARGET.toLocaleString("en-US")}/s): ${ratio(rate, TARGET)}`);
// A passenger is one seat and two delivery records at least: each is a record in a journal, or a file write without one.
console.log(`  passengers/s as ${ratioText(rate, disk?.fileWritesPerSec, "the disk's durable file writes")}`);
console.log(`  passengers/s as ${ratioText(rate, disk?.journalRecordsPerSec, "the disk's journal records")}`);
// The json store makes one entry folder per passenger: the rate at which this disk makes them caps it.
if (ENGINE === "json") console.log(`  passengers/s as ${ratioText(rate, disk?.entryFoldersPerSec, "the disk's entry folders")}`);
console.log(
  `throughput: ${rate.toFixed(0)} passengers/s (${ENGINE}${ATTACHMENT_KB > 0 ? `, +${ATTACHMENT_KB} KB` : ""}; ` +
    `${(rate / PYTHON_ORIGINAL).toFixed(1)}× Python, ${ratio(rate, TARGET)} target ${TARGET}` +
    (disk ? `, ${ratio(rate, disk.fileWritesPerSec)} disk file writes/s, ${ratio(rate, disk.journalRecordsPerSec)} journal records/s` : "") +
    (disk?.entryFoldersPerSec && ENGINE === "json" ? `, ${ratio(rate, disk.entryFoldersPerSec)} entry folders/s)` : ")"),
);
