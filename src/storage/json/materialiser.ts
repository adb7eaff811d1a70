/**
 * Where a drain's file writes run: in a worker thread (the default), so the dispatcher's thread only
 * plans them, or in the calling thread (tests ask for it; and the fallback when no worker can start).
 *
 * One worker serves every json store of the process. It is referenced while it has work (a command
 * that closes its store waits for the files, and the process does not exit under it) and stopped after
 * a while without any (an idle server keeps no thread around).
 */
import { applyTasks, ApplyFailure, encodeTasks, type ApplyTask } from "./apply-order";
import type { MaterialiseReply, MaterialiseRequest } from "./materialise-worker";

export interface Materialiser {
  /** Writes the tasks; adds every path written to `dirty`; throws ApplyFailure. */
  apply(dataDir: string, tasks: ApplyTask[], dirty: Set<string>): Promise<void>;
}

export const inThread: Materialiser = { apply: (dataDir, tasks, dirty) => applyTasks(dataDir, tasks, dirty) };

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

let shared: WorkerMaterialiser | undefined;

/** The process's one worker materialiser. */
export function workerMaterialiser(): Materialiser {
  shared ??= new WorkerMaterialiser();
  return shared;
}
