/**
 * The file system calls that journal ops make (journal-ops.ts), in two flavours with the same results
 * and the same errors (ENOENT, ENOSPC… as `code`):
 *
 * - `blockingCalls`, for the file writer thread (materialise-worker.ts): it has nothing else to do
 *   while it writes. A promise-based call goes through Bun's I/O thread pool (a task, a wake-up and
 *   an eventfd write each), and Bun's writeFile adds an ftruncate to every file: a 10,000-passenger run
 *   makes ~40,000 file calls, and the blocking ones gave it ~30 % more passengers a second (BENCHMARKS.md).
 * - `promiseCalls`, wherever the event loop must go on meanwhile (files written on the store's own
 *   thread when no writer thread can start, and the journal's replay).
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";

export interface FileCalls {
  /** Creates or replaces the file's whole content. */
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
}

export const promiseCalls: FileCalls = {
  writeFile: (path, content) => writeFile(path, content),
  mkdir: async (path, options) => void (await mkdir(path, options)),
  rename: (from, to) => rename(from, to),
  rm: (path, options) => rm(path, options),
};

export const blockingCalls: FileCalls = {
  writeFile: async (path, content) => writeWhole(path, content),
  mkdir: async (path, options) => void mkdirSync(path, options),
  rename: async (from, to) => renameSync(from, to),
  rm: async (path, options) => rmSync(path, options),
};

/** open(O_TRUNC), write until all is written (a full disk fails the next write), close: three calls a file. */
function writeWhole(path: string, content: string | Uint8Array): void {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  const fd = openSync(path, "w");
  try {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
  } finally {
    closeSync(fd);
  }
}
