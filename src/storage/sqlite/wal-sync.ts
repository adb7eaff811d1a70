/**
 * Durability of the sqlite engine's commits, made on the thread pool instead of inside each commit:
 * the connection runs `synchronous = NORMAL` (SQLite then writes a commit into the WAL file without
 * fsyncing it), and every write the engine acknowledges first awaits `durable()`, an `fdatasync` of
 * the WAL file that began after the write's commit.
 *
 * Why: with `synchronous = FULL` SQLite fsyncs the WAL inside every commit, on the dispatcher's
 * thread, which stands still meanwhile (~12 % of a 10,000-passenger run here, BENCHMARKS.md). Here
 * the thread goes on with other entries while the disk syncs, and commits that arrive during one
 * sync share the next (group commit), as the json store's journal does.
 *
 * Why it is as durable as FULL: the WAL is written in order and fdatasync flushes all of the file's
 * written data (whichever descriptor asks), so a sync that began after a commit returned covers that
 * commit and every one before it, the WAL header included. SQLite in WAL mode with NORMAL stays safe
 * from corruption (its own documentation); what NORMAL alone would lose on power loss are the last
 * commits, and none of those has been acknowledged before its sync. A process crash loses nothing
 * either way: the commit is in the page cache. The WAL is one file for as long as the connection is
 * open (SQLite resets it in place after a checkpoint and deletes it only when the last connection
 * closes), so one descriptor serves for the connection's life.
 *
 * A failed sync (EIO, ENOSPC) rejects every write waiting on it with DBUS_STO_WRITE_FAILED: those
 * commits are in the file but may not be on the disk, and the caller must not take them as done.
 */
import { fdatasync, openSync, closeSync } from "node:fs";
import { DatabusError, reasonOf } from "../../core/errors";

/** Makes the data of the open file `fd` durable; node's fdatasync on the thread pool unless a test gives its own. */
export type Datasync = (fd: number) => Promise<void>;

const threadPoolDatasync: Datasync = (fd) => new Promise((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));

export class WalSync {
  private fd: number | undefined;
  /** The sync on the disk now. */
  private running: Promise<void> | undefined;
  /** The sync that starts when the running one ends: every caller that came during the running one waits for it. */
  private queued: Promise<void> | undefined;

  constructor(
    /** The WAL file: `<database file>-wal`. */
    readonly walPath: string,
    private readonly datasync: Datasync = threadPoolDatasync,
  ) {}

  /** Resolves once everything committed before this call is on the disk. */
  durable(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    // The running sync may have begun before the caller's commit: it waits for the next one.
    const after = () => {
      this.queued = undefined;
      return this.start();
    };
    this.queued = this.running.then(after, after);
    return this.queued;
  }

  /**
   * One last sync after those asked for so far (it fails if that sync fails: then not everything is
   * on the disk), and the descriptor closed. The connection closes after it and asks for no more.
   */
  async close(): Promise<void> {
    try {
      await this.durable();
    } finally {
      if (this.fd !== undefined) closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private start(): Promise<void> {
    const run = this.syncOnce().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async syncOnce(): Promise<void> {
    try {
      // Opened at the first sync. SQLite makes the WAL when the connection first reads or writes; with
      // none yet there is no commit to make durable.
      this.fd ??= openWal(this.walPath);
      if (this.fd !== undefined) await this.datasync(this.fd);
    } catch (e) {
      throw new DatabusError("DBUS_STO_WRITE_FAILED", { path: this.walPath, reason: `making the write durable failed: ${reasonOf(e)}` }, { cause: e });
    }
  }
}

/** A descriptor of the WAL (read-only is enough for fdatasync on Linux), or undefined when there is none yet. */
function openWal(path: string): number | undefined {
  try {
    return openSync(path, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}
