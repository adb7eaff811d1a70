/**
 * Where a drain's file writes run: in a worker thread (the default), so the dispatcher's thread only
 * plans them, or in the calling thread (tests ask for it; and the fallback when no worker can start).
 *
 * Workers serve every json store of the process: one, and a second that takes half the entries of a
 * drain whose files have fallen behind (SplitMaterialiser). Each is referenced while it has work (a command that closes its store waits
 * for the files, and the process does not exit under it) and stopped after a while without any (an
 * idle server keeps no thread around).
 */
import { applyTasks, ApplyFailure, clearSpares, encodeTasks, holdsBytes, type ApplyTask } from "./apply-order";
import type { MaterialiseReply, MaterialiseRequest } from "./materialise-worker";

export interface Materialiser {
  /**
   * Writes the tasks; adds every path written to `dirty`; throws ApplyFailure. `behind`: the files
   * have fallen behind the journal (a drain much larger than usual), see SplitMaterialiser.
   */
  apply(dataDir: string, tasks: ApplyTask[], dirty: Set<string>, behind?: boolean): Promise<void>;
  /**
   * Deletes the spare temps the writing keeps between drains (apply-order.ts), now instead of after
   * a while without writes: a store that closes leaves none behind. Of every store of the process.
   */
  clearSpares?(): Promise<void>;
}

export const inThread: Materialiser = { apply: (dataDir, tasks, dirty) => applyTasks(dataDir, tasks, dirty), clearSpares };

const IDLE_MS = 10_000;

/** Bun's Worker: ref()/unref() decide whether it keeps the process alive (not in the DOM typings). */
type BunWorker = Worker & { ref(): void; unref(): void };

interface Waiting {
  request: MaterialiseRequest;
  tasks: ApplyTask[];
  dirty: Set<string>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

class WorkerMaterialiser implements Materialiser {
  private worker: BunWorker | undefined;
  private waiting = new Map<number, Waiting>();
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set when the worker could not even start: everything runs in the calling thread from then on. */
  private unavailable = false;
  private answered = false;

  apply(dataDir: string, tasks: ApplyTask[], dirty: Set<string>): Promise<void> {
    if (this.unavailable) return inThread.apply(dataDir, tasks, dirty);
    const worker = this.start();
    if (!worker) return inThread.apply(dataDir, tasks, dirty);
    clearTimeout(this.idleTimer);
    worker.ref();
    const request: MaterialiseRequest = { id: this.nextId++, dataDir, ...encodeTasks(tasks) };
    return this.send(worker, request, tasks, dirty);
  }

  /** The worker's spares; a worker that is not running has none (it deletes them when it stops). */
  clearSpares(): Promise<void> {
    const worker = this.worker;
    if (this.unavailable || !worker) return clearSpares();
    clearTimeout(this.idleTimer);
    worker.ref();
    const request: MaterialiseRequest = { id: this.nextId++, dataDir: "", text: "[]", blobs: new Uint8Array(0), clearSpares: true };
    return this.send(worker, request, [], new Set());
  }

  private send(worker: BunWorker, request: MaterialiseRequest, tasks: ApplyTask[], dirty: Set<string>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(request.id, { request, tasks, dirty, resolve, reject });
      worker.postMessage(request, [request.blobs.buffer]);
    });
  }

  private start(): BunWorker | undefined {
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(workerSpecifier()) as BunWorker;
      worker.onmessage = (event: MessageEvent<MaterialiseReply>) => this.answer(event.data);
      worker.onerror = (event) => this.crashed(event);
      this.worker = worker;
      return worker;
    } catch (e) {
      this.unavailable = true;
      console.warn(`json store: the file writer thread could not start (${e instanceof Error ? e.message : String(e)}); files are written on the main thread.`);
      return undefined;
    }
  }

  private answer(reply: MaterialiseReply): void {
    this.answered = true;
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    for (const path of reply.dirty) w.dirty.add(path);
    if (reply.failure) w.reject(new ApplyFailure(reply.failure.path, Object.assign(new Error(reply.failure.message), { code: reply.failure.code })));
    else w.resolve();
    if (this.waiting.size === 0) this.idle();
  }

  /** A worker that never answered could not load: the work goes to the calling thread, now and from now on. */
  private crashed(event: ErrorEvent): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    this.worker?.terminate();
    this.worker = undefined;
    if (!this.answered) {
      this.unavailable = true;
      // Slower, not wrong: said once so a build that lost the worker module does not go unnoticed.
      console.warn(`json store: the file writer thread could not start (${event.message}); files are written on the main thread.`);
    }
    for (const w of waiting) {
      if (this.unavailable) inThread.apply(w.request.dataDir, w.tasks, w.dirty).then(w.resolve, w.reject);
      else w.reject(new ApplyFailure(w.request.dataDir, new Error(`the file writer thread stopped: ${event.message}`)));
    }
  }

  private idle(): void {
    this.worker?.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.waiting.size > 0) return;
      this.worker?.terminate();
      this.worker = undefined;
    }, IDLE_MS);
    this.idleTimer.unref?.();
  }
}

/**
 * The worker's module: beside this file when running from source; in the compiled binary, under the
 * embedded root of the build's entrypoints (src/, see scripts/build.ts, which adds the worker as one).
 */
function workerSpecifier(): string {
  const here = import.meta.url;
  return here.includes("$bunfs") ? "/$bunfs/root/storage/json/materialise-worker.ts" : new URL("./materialise-worker.ts", here).href;
}

/** Fewer tasks than this go to one thread whole: splitting a small drain costs more than it saves. */
const SPLIT_AT = 64;

/**
 * Writer threads side by side for a drain whose files have fallen behind, each given the tasks of its
 * share of the entries (by ordering key, so one entry's tasks stay in one thread, in order). A writer
 * thread spends much of its time waiting for the disk: one made 4,000–4,700 entry folders/s here, two
 * 7,300–7,400/s. A run of 60,000 passengers whose entries stay queued fell behind with one writer
 * until the journal held callers back (backpressure) for 4–29 s at a time, 1,250–2,900/s over the
 * run; with two, 0.75–1.4 s at most (once 7 s), 2,800–3,240/s.
 * Everything else goes to the first thread whole: a drain that is not behind (a burst that fits the
 * write-behind window: a second thread's start and the disk it shares with the journal's fsyncs cost
 * the burst more than it gains), one holding attachment bytes (split, the +10 KB run fell from
 * 1,260–2,110 to 1,100–1,200/s; likely the writers' data competing with the journal's fsyncs for the
 * disk), a small one, and one with a task above entry level (no key). A failure of either share
 * fails the drain (applied again whole, see write-behind.ts).
 */
export class SplitMaterialiser implements Materialiser {
  constructor(private readonly parts: readonly Materialiser[]) {}

  async apply(dataDir: string, tasks: ApplyTask[], dirty: Set<string>, behind = false): Promise<void> {
    const whole = !behind || this.parts.length === 1 || tasks.length < SPLIT_AT || tasks.some((t) => t.key === undefined || t.ops.some(holdsBytes));
    if (whole) return this.parts[0]!.apply(dataDir, tasks, dirty);
    const shares = this.parts.map((): ApplyTask[] => []);
    for (const t of tasks) shares[shareOf(t.key!, shares.length)]!.push(t);
    const results = await Promise.allSettled(shares.map((share, i) => (share.length > 0 ? this.parts[i]!.apply(dataDir, share, dirty) : undefined)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  }

  async clearSpares(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.clearSpares?.()));
  }
}

/** Which share a key goes to: FNV-1a of the key, so entries spread evenly whatever their ids look like. */
function shareOf(key: string, shares: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shares;
}

/** How many writer threads the json stores of a process share. */
const WRITER_THREADS = 2;

let shared: Materialiser | undefined;

/** The process's writer threads (WRITER_THREADS of them, each started on first use). */
export function workerMaterialiser(): Materialiser {
  shared ??= new SplitMaterialiser(Array.from({ length: WRITER_THREADS }, () => new WorkerMaterialiser()));
  return shared;
}
