/**
 * The journal's settings and their defaults: how a batch closes, when checkpoints and file writes
 * run, and how fsync is done (injectable, so tests count syncs instead of timing them).
 */
import { open, type FileHandle } from "node:fs/promises";
import { forEachLimited } from "../../core/limited";

export interface JournalOptions {
  /** fsync of the journal file. Injectable so tests count syncs instead of timing them. */
  sync: (fh: FileHandle) => Promise<void>;
  /** Makes every file written since the last checkpoint durable (`dirty` lists them, for engines without syncfs). */
  syncFiles: (dataDir: string, dirty: ReadonlySet<string>) => Promise<void>;
  /** A batch closes this long after its first change (or when the fsync in flight returns, if later)… */
  batchMs: number;
  /** …or when it holds this many bytes. */
  batchBytes: number;
  /** A checkpoint runs when the journal grows past this size… */
  checkpointBytes: number;
  /** …and at this interval while it is not empty. */
  checkpointMs: number;
  /** Durable changes are written to their files this long after their batch (later changes to a file replace earlier ones)… */
  materialiseMs: number;
  /** …or as soon as this many journal bytes wait to be written (bounds the memory of the overlay). */
  materialiseBytes: number;
  /**
   * Runs after a checkpoint made the files of its sealed journals durable and before it deletes them:
   * the store saves its index snapshot there, so "snapshot + journals on disk" always tells every change
   * (queue-snapshot.ts). A failure keeps the sealed journals for a later checkpoint.
   */
  beforeRetire?: () => Promise<void>;
}

const fsyncHandle = (fh: FileHandle): Promise<void> => fh.sync();

/** fsync of each path; missing ones were removed later (their parent is in the set too). */
async function fsyncEach(dirty: ReadonlySet<string>): Promise<void> {
  await forEachLimited([...dirty], 32, async (path) => {
    let fh: FileHandle;
    try {
      fh = await open(path, "r");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
      throw e;
    }
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  });
}

/** syncfs(2) of the data folder's filesystem through coreutils `sync -f`; per-path fsync where that is missing. */
export async function syncDataFiles(dataDir: string, dirty: ReadonlySet<string>): Promise<void> {
  if (dirty.size === 0) return;
  if (dirty.size > 8 && process.platform === "linux") {
    try {
      const proc = Bun.spawn(["sync", "-f", dataDir], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      if ((await proc.exited) === 0) return;
    } catch {
      // No `sync` binary (a minimal image): fall through to per-path fsync, slower but just as safe.
    }
  }
  await fsyncEach(dirty);
}

export const DEFAULT_JOURNAL_OPTIONS: JournalOptions = {
  sync: fsyncHandle,
  syncFiles: syncDataFiles,
  batchMs: 1,
  batchBytes: 4 * 1024 * 1024,
  checkpointBytes: 32 * 1024 * 1024,
  checkpointMs: 30_000,
  materialiseMs: 1000,
  materialiseBytes: 16 * 1024 * 1024,
};
