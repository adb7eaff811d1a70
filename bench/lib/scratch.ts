/**
 * Where the benches make their temp homes: DATABUS_BENCH_DIR, else `.bench/` in the checkout
 * (git ignores it), and not the system temp folder.
 *
 * Why not /tmp: on an ext4 without a journal (this project's disk) a new file skips every inode freed
 * in the last 1–6 minutes in its block group (exchange.ts), and the test suite creates and deletes
 * thousands of files in /tmp all day. Measured here: 10,000 entry-shaped folders took 20 s in /tmp and 1.8 s in a fresh
 * folder of the same disk. For the same reason `npm run bench` keeps every bench's home until all
 * benches are done (DATABUS_BENCH_KEEP=1): deleting one bench's 30,000 files would slow the next.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";

export const SCRATCH = process.env.DATABUS_BENCH_DIR ?? join(import.meta.dir, "..", "..", ".bench");

/** A new temp folder under SCRATCH, named prefix + random. */
export function scratchDir(prefix: string): string {
  mkdirSync(SCRATCH, { recursive: true });
  return mkdtempSync(join(SCRATCH, prefix));
}

/** Removes a bench's temp folder, unless `npm run bench` will remove them all at its end. */
export function removeScratch(path: string): void {
  if (process.env.DATABUS_BENCH_KEEP) return;
  rmSync(path, { recursive: true, force: true });
}
