/**
 * The file system calls that journal ops make (journal-ops.ts), in two flavours with the same results
 * and the same errors (ENOENT, ENOSPC… as `code`):
 *
 * - `blockingCalls`, for the file writer thread (materialise-worker.ts): it has nothing else to do
 *   while it writes. A promise-based call goes through Bun's I/O thread pool (a task, a wake-up and
 *   an eventfd write each), and Bun's writeFile adds an ftruncate to every file: a 10,000-passenger run
 *   makes ~40,000 file calls, and the blocking ones gave it ~25 % more passengers a second (BENCHMARKS.md).
 * - `promiseCalls`, wherever the event loop must go on meanwhile (files written on the store's own
 *   thread when no writer thread can start).
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface FileCalls {
  /** Creates a file with this content (callers make new files: temp names are unique). */
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  /**
   * Writes over an existing file (a spare temp, spares.ts) and cuts it to the new length. Not open with
   * O_TRUNC: ext4 flushes a file truncated to zero when it is closed (auto_da_alloc, meant for
   * programs that rewrite a file in place), which made the writer thread start a disk write per file.
   */
  overwrite(path: string, content: string | Uint8Array): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
  /** Every file under a folder, as paths relative to it ("a/b.bin"); undefined when the folder does not exist. */
  filesUnder(path: string): Promise<string[] | undefined>;
  readFile(path: string): Promise<Uint8Array>;
}

/** Only the missing folder is "no files": anything else (EACCES, EIO) is the caller's error. */
function missing(e: unknown): undefined {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return undefined;
  throw e;
}

const filesOf = (entries: { isFile(): boolean; parentPath: string; name: string }[], root: string): string[] =>
  entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1));

export const promiseCalls: FileCalls = {
  // Bun's writeFile opens without O_TRUNC, writes, then cuts the file to length: an overwrite as well.
  writeFile: (path, content) => writeFile(path, content),
  overwrite: (path, content) => writeFile(path, content),
  mkdir: async (path, options) => void (await mkdir(path, options)),
  rename: (from, to) => rename(from, to),
  rm: (path, options) => rm(path, options),
  filesUnder: async (path) => {
    const entries = await readdir(path, { recursive: true, withFileTypes: true }).catch(missing);
    return entries && filesOf(entries, path);
  },
  readFile: (path) => readFile(path),
};

export const blockingCalls: FileCalls = {
  writeFile: async (path, content) => writeWhole(path, content, "w"),
  overwrite: async (path, content) => writeWhole(path, content, "r+"),
  mkdir: async (path, options) => void mkdirSync(path, options),
  rename: async (from, to) => renameSync(from, to),
  rm: async (path, options) => rmSync(path, options),
  filesUnder: async (path) => {
    let entries;
    try {
      entries = readdirSync(path, { recursive: true, withFileTypes: true });
    } catch (e) {
      return missing(e);
    }
    return filesOf(entries, path);
  },
  readFile: async (path) => readFileSync(path),
};

/**
 * Opens (`w`: creating the file; O_TRUNC does nothing to a file the open creates), or `r+` (an
 * existing one), writes until all is written (a full disk fails the next write), cuts an existing
 * file to length, closes: three calls for a new file, four for an overwrite.
 */
function writeWhole(path: string, content: string | Uint8Array, flags: "w" | "r+"): void {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  const fd = openSync(path, flags);
  try {
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    if (flags === "r+") ftruncateSync(fd, bytes.length);
  } finally {
    closeSync(fd);
  }
}
