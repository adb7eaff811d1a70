/**
 * The disk's own limits, so every other figure can be read as a fraction of them:
 * - durable file writes/s: write a small file to a temp name, fsync, rename, fsync the folder
 *   (what the JSON store does per file), one after another;
 * - journal records/s: JSON lines appended to one file, one fsync per 100 records (group commit);
 * - entry folders/s: a queue entry's folder (a folder with passenger.json and status.json, built under
 *   a temp name and renamed into place, no fsync: the journal holds the truth) 16 at a time, as the
 *   json store's file writer makes them. Every passenger needs one, so it caps the json store.
 * `bun bench/fsync.ts [seconds per measurement = 3] [record bytes = 300] [records per fsync = 100]`.
 * Saves the limits for the other benches (bench/lib/disk.ts) and prints them last.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { saveDiskLimits } from "./lib/disk";
import { removeScratch, scratchDir } from "./lib/scratch";

const SECONDS = Number(process.argv[2] ?? 3);
const RECORD_BYTES = Number(process.argv[3] ?? 300);
const PER_FSYNC = Number(process.argv[4] ?? 100);

// Beside the other benches' homes (bench/lib/scratch.ts), so the limits are those of the place they use.
const dir = scratchDir("fsync-");
try {
  const folders = await measureEntryFolders();
  const fsyncMs = measureFsync();
  const files = measureFileWrites();
  const journal = measureJournal();
  saveDiskLimits({
    fileWritesPerSec: files,
    journalRecordsPerSec: journal,
    entryFoldersPerSec: folders,
    recordsPerFsync: PER_FSYNC,
    fsyncMs,
    measuredAt: new Date().toISOString(),
  });
  console.log(`one fsync of a 1 KB write: ${fsyncMs.toFixed(2)} ms`);
  console.log(`durable file writes (write + fsync + rename + fsync dir), sequential: ${files.toFixed(0)}/s`);
  console.log(`journal appends of ${RECORD_BYTES} B, one fsync per ${PER_FSYNC}: ${journal.toFixed(0)} records/s`);
  console.log(`entry folders (mkdir + 2 files + rename, no fsync), 16 at a time: ${folders.toFixed(0)}/s`);
  console.log(`fsync: ${files.toFixed(0)} file writes/s, ${journal.toFixed(0)} journal records/s, ${folders.toFixed(0)} entry folders/s, fsync ${fsyncMs.toFixed(2)} ms`);
} finally {
  removeScratch(dir);
}

/** Repeats `step` for SECONDS and returns how many times it ran per second. */
function rate(step: (i: number) => number): number {
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  let done = 0;
  for (let i = 0; performance.now() < until; i++) done += step(i);
  return done / ((performance.now() - started) / 1000);
}

function measureFsync(): number {
  const fd = openSync(join(dir, "fsync"), "w");
  const block = Buffer.alloc(1024, 120);
  const perSecond = rate(() => {
    writeSync(fd, block);
    fsyncSync(fd);
    return 1;
  });
  closeSync(fd);
  return 1000 / perSecond;
}

function measureFileWrites(): number {
  const body = Buffer.from(JSON.stringify({ seated_at: new Date().toISOString(), body: "x".repeat(900) }));
  const dirFd = openSync(dir, "r");
  const perSecond = rate((i) => {
    // A new name each time: replacing a file frees an inode, which slows every file made in the next ~30 s here (scratch.ts).
    const final = join(dir, `file-${i}.json`);
    const tmp = join(dir, `.tmp-file-${i}`);
    const fd = openSync(tmp, "w");
    writeSync(fd, body);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, final);
    fsyncSync(dirFd);
    return 1;
  });
  closeSync(dirFd);
  return perSecond;
}

function measureJournal(): number {
  const fd = openSync(join(dir, "journal.jsonl"), "a");
  const record = Buffer.from(`${JSON.stringify({ op: "status", id: "0".repeat(36), body: "x".repeat(Math.max(0, RECORD_BYTES - 70)) })}\n`);
  const perSecond = rate(() => {
    for (let r = 0; r < PER_FSYNC; r++) writeSync(fd, record);
    fsyncSync(fd);
    return PER_FSYNC;
  });
  closeSync(fd);
  return perSecond;
}

/** Entry-shaped folders made for SECONDS, 16 at a time. */
async function measureEntryFolders(): Promise<number> {
  const queue = join(dir, "queue");
  await mkdir(queue);
  const passenger = JSON.stringify({ id: "0".repeat(36), payload: { body: "x".repeat(1000) } });
  const status = JSON.stringify({ steps: [{ kind: "puller", state: "done" }, { kind: "pusher", state: "pending" }] });
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < until) {
        const n = next++;
        const tmp = join(queue, `.tmp-${n}`);
        await mkdir(tmp);
        await writeFile(join(tmp, "passenger.json"), passenger);
        await writeFile(join(tmp, "status.json"), status);
        await rename(tmp, join(queue, `entry-${n}`));
      }
    }),
  );
  return next / ((performance.now() - started) / 1000);
}
