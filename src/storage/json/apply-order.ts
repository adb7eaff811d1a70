/**
 * Applying a drain's planned file writes (see write-behind.ts): in journal order within one queue
 * entry (or one file), entries side by side up to a width, and a task without a key (a change above
 * entry level) only after everything before it. Runs in the materialise worker, or in the calling
 * thread where no worker can start.
 */
import { slots } from "../../core/slots";
import { promiseCalls, type FileCalls } from "./file-calls";
import { applyRecord, opsText, type JournalOp } from "./journal-ops";
import { Spares } from "./spares";

export interface ApplyTask {
  /** The ordering unit (an entry folder or one file); undefined: after everything before it. */
  key: string | undefined;
  /** Paths relative to data/, already stripped of ops a newer change replaces. */
  ops: JournalOp[];
  /** The journal line of the record, when the task writes all of it unchanged: sent as it is (encodeTasks). */
  line?: string;
}

/**
 * The tasks as one JSON text for the writer thread. A task that writes its record unchanged is sent
 * as the journal line already made for it, so the dispatcher's thread does not stringify it again.
 */
export function encodeTasks(tasks: readonly ApplyTask[]): string {
  const parts = tasks.map((t) => {
    const key = t.key === undefined ? "" : `"key":${JSON.stringify(t.key)},`;
    return t.line !== undefined ? `{${key}"record":${t.line}}` : `{${key}"ops":${opsText(t.ops)}}`;
  });
  return `[${parts.join(",")}]`;
}

export function decodeTasks(text: string): ApplyTask[] {
  const raw = JSON.parse(text) as Array<{ key?: string; ops?: JournalOp[]; record?: { ops: JournalOp[] } }>;
  return raw.map((t) => ({ key: t.key, ops: t.record ? t.record.ops : (t.ops ?? []) }));
}

/** Which file a failed task was writing, and the OS error it got. */
export class ApplyFailure extends Error {
  constructor(
    readonly path: string,
    readonly reason: unknown,
  ) {
    super(`writing ${path} failed`);
  }
}

/**
 * Spare temps of this thread's drains (spares.ts), kept from one drain to the next while writes go on
 * and deleted once none came for SPARE_IDLE_MS: deleting them at the end of every drain freed a few
 * hundred inodes a run, and each freed inode slows every new file for ~30 s on this disk (exchange.ts).
 * One left by a process that exits meanwhile is a dot-named temp that open() sweeps.
 */
export const SPARE_IDLE_MS = 2000;
const spares = new Spares();
let draining = 0;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

/** Deletes the spare temps now (tests; the idle timer does it otherwise). */
export function clearSpares(): Promise<void> {
  clearTimeout(idleTimer);
  return spares.clear();
}

function sparesIdleLater(): void {
  clearTimeout(idleTimer);
  if (draining > 0) return;
  idleTimer = setTimeout(() => void spares.clear(), SPARE_IDLE_MS);
  // A command that closed its store exits without waiting for this.
  idleTimer.unref?.();
}

/**
 * Writes every task; `dirty` collects the paths written (also on failure). Throws ApplyFailure.
 * `fs`: the writer thread's blocking calls (then one task runs at a time), or promise-based calls
 * with `width` tasks in flight.
 */
export async function applyTasks(dataDir: string, tasks: readonly ApplyTask[], dirty: Set<string>, fs: FileCalls = promiseCalls, width = 16): Promise<void> {
  const chains = new Map<string, Promise<void>>();
  const gate = slots(width);
  draining++;
  clearTimeout(idleTimer);
  const one = async (task: ApplyTask): Promise<void> => {
    try {
      await applyRecord(dataDir, { ops: task.ops }, dirty, spares, fs);
    } catch (e) {
      throw new ApplyFailure(task.ops[0]?.path ?? dataDir, e);
    }
  };
  const settleAll = async () => {
    const results = await Promise.allSettled(chains.values());
    chains.clear();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  };
  try {
    for (const task of tasks) {
      if (task.key === undefined) {
        await settleAll();
        await one(task);
        continue;
      }
      const previous = chains.get(task.key) ?? Promise.resolve();
      chains.set(task.key, previous.then(() => gate(() => one(task))));
    }
    await settleAll();
  } finally {
    // settleAll() has waited for every unit by now, after a failure too.
    draining--;
    sparesIdleLater();
  }
}

