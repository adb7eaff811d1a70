/**
 * Checkpoints of a SQLite file's WAL, run in a worker thread (checkpoint-worker.ts) as commits come,
 * instead of by SQLite inside whichever commit pushes the WAL past 1,000 pages.
 *
 * Why: the sqlite engine's writes all run on the dispatcher's thread, and a checkpoint is the WAL's
 * pages copied into the database file and that file fsynced. 10,000 passengers here: 3.0–3.1 s with
 * SQLite's own checkpoints, 2.4–2.9 s with none at all (BENCHMARKS.md, session 9). The thread gets
 * most of that back without letting the WAL grow.
 *
 * Nothing rides on it for durability: a commit is durable in the WAL, and whatever a checkpoint has
 * not copied yet is read from the WAL (and recovered from it after a crash). If the thread falls
 * far behind, SQLite's own checkpoint still runs at FALLBACK_PAGES; if it cannot start or a
 * checkpoint fails, the connection goes back to SQLite's default (`onUnavailable`), said once.
 */
// Types only: importing the worker's module for real would run it here (its onmessage would keep the process alive).
import type { CheckpointExit, CheckpointStart } from "./checkpoint-worker";

/** Slots of the memory shared with the thread. COMMITS: counted here; EXITED once the thread left for idleness. */
export const COMMITS = 0;
export const STOP = 1;
export const DONE = 2;
const SLOTS = 3;
export const EXITED = -1;

/** The writer's own automatic checkpoint while the thread checkpoints: only if the thread falls ~40 MB behind. */
export const FALLBACK_PAGES = 10_000;
/** SQLite's default automatic checkpoint, for a connection whose checkpoint thread is unavailable. */
export const DEFAULT_PAGES = 1_000;

export interface CheckpointerOptions {
  /** The thread leaves after this long without a commit (an idle server keeps no thread around). */
  idleMs?: number;
  paceMs?: number;
  /** The worker's module (tests give a broken one). */
  specifier?: string;
}

/** How long close waits for the thread to close its connection (only a running checkpoint makes it wait). */
const CLOSE_WAIT_MS = 5_000;

/** Bun's Worker: unref() stops it keeping the process alive (not in the DOM typings). */
type BunWorker = Worker & { unref(): void };

export class Checkpointer {
  private thread: { worker: BunWorker; shared: Int32Array } | undefined;
  private unavailable = false;

  constructor(
    private readonly file: string,
    private readonly onUnavailable: () => void,
    private readonly options: CheckpointerOptions = {},
  ) {}

  /** A write was committed: the thread checkpoints it soon (and is started if none is running). */
  written(): void {
    if (this.unavailable) return;
    // The count wakes a waiting thread; one that has left for idleness marked it EXITED first, atomically.
    if (this.thread && Atomics.add(this.thread.shared, COMMITS, 1) !== EXITED) {
      Atomics.notify(this.thread.shared, COMMITS);
      return;
    }
    this.thread?.worker.terminate();
    this.thread = undefined;
    this.start();
  }

  /** Stops the thread, waiting until its connection is closed: the caller's close must be the file's last. */
  close(): void {
    this.unavailable = true; // a close is for good: no thread starts after it
    this.stop(true);
  }

  private start(): void {
    const shared = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    shared[COMMITS] = 1; // the commit that starts it
    let worker: BunWorker;
    try {
      worker = new Worker(this.options.specifier ?? workerSpecifier()) as BunWorker;
    } catch (e) {
      return this.giveUp(e instanceof Error ? e.message : String(e));
    }
    const thread = { worker, shared };
    worker.onmessage = (event: MessageEvent<CheckpointExit>) => this.exited(thread, event.data);
    worker.onerror = (event) => this.giveUp(event.message);
    // Checkpoints are never a reason to keep a process alive: the WAL keeps what they did not copy.
    worker.unref();
    this.thread = thread;
    const start: CheckpointStart = { file: this.file, shared, idleMs: this.options.idleMs ?? 10_000, paceMs: this.options.paceMs ?? 10 };
    worker.postMessage(start);
  }

  private exited(thread: NonNullable<Checkpointer["thread"]>, exit: CheckpointExit): void {
    if (exit.kind === "failed") return this.giveUp(exit.message);
    // A thread that left for idleness is replaced by the next commit (written()).
    if (exit.kind === "idle" && this.thread === thread) {
      thread.worker.terminate();
      this.thread = undefined;
    }
  }

  private giveUp(reason: string): void {
    if (this.unavailable) return;
    this.unavailable = true;
    this.stop(false);
    // Slower, not wrong: said once so a build that lost the worker module does not go unnoticed.
    console.warn(`sqlite store: the checkpoint thread stopped (${reason}); SQLite checkpoints ${this.file} itself from now on.`);
    this.onUnavailable();
  }

  /** `wait`: until the thread has closed its connection (a thread that failed has closed it already, or never ran). */
  private stop(wait: boolean): void {
    const thread = this.thread;
    this.thread = undefined;
    if (!thread) return;
    const { shared, worker } = thread;
    Atomics.store(shared, STOP, 1);
    Atomics.notify(shared, COMMITS);
    Atomics.notify(shared, STOP);
    // Harmless if it times out (the WAL stays and the next open reads it), but not expected: say so.
    if (wait && Atomics.wait(shared, DONE, 0, CLOSE_WAIT_MS) === "timed-out")
      console.warn(`sqlite store: the checkpoint thread did not stop within ${CLOSE_WAIT_MS / 1000} s; ${this.file}-wal is left for the next start to read.`);
    worker.terminate();
  }
}

/**
 * The worker's module: beside this file when running from source; in the compiled binary, under the
 * embedded root of the build's entrypoints (src/, see scripts/build.ts, which adds the worker as one).
 */
function workerSpecifier(): string {
  const here = import.meta.url;
  return here.includes("$bunfs") ? "/$bunfs/root/storage/sqlite/checkpoint-worker.ts" : new URL("./checkpoint-worker.ts", here).href;
}
