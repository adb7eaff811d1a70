/**
 * The disk's limits as bench/fsync.ts measured them, shared with the other benches through a small
 * file in the temp folder, so each figure can be printed as a fraction of what the disk allows.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DiskLimits {
  /** Sequential write + fsync + rename + fsync(dir) of one small file, per second. */
  fileWritesPerSec: number;
  /** Appended records per second with one fsync per `recordsPerFsync` records. */
  journalRecordsPerSec: number;
  /** Queue-entry folders (folder + 2 files, renamed into place) per second, 16 at a time; older files lack it. */
  entryFoldersPerSec?: number;
  recordsPerFsync: number;
  fsyncMs: number;
  measuredAt: string;
}

// DATABUS_BENCH_DISK overrides where the limits live (to keep several machines' figures apart).
const FILE = process.env.DATABUS_BENCH_DISK ?? join(tmpdir(), "databus-bench-disk.json");

export function saveDiskLimits(limits: DiskLimits): void {
  writeFileSync(FILE, JSON.stringify(limits, null, 2));
}

/** The last measured limits, or undefined when bench/fsync.ts has not run on this machine. */
export function loadDiskLimits(): DiskLimits | undefined {
  if (!existsSync(FILE)) return undefined;
  return JSON.parse(readFileSync(FILE, "utf8")) as DiskLimits;
}

/** A ratio with two significant digits when small (0.0017×), two decimals otherwise (0.25×, 3.10×). */
export function ratio(value: number, of: number): string {
  const r = value / of;
  return `${r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}

/** "0.12× the disk's durable file writes (400/s)", or a hint to run the fsync bench first. */
export function ratioText(value: number, limit: number | undefined, what: string): string {
  if (limit === undefined) return `(run bench/fsync.ts for the ratio to ${what})`;
  return `${ratio(value, limit)} ${what} (${Math.round(limit).toLocaleString("en-US")}/s)`;
}
