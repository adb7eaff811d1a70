/**
 * Applying a drain's planned file writes (see write-behind.ts): in journal order within one queue
 * entry (or one file), entries side by side up to a width, and a task without a key (a change above
 * entry level) only after everything before it. Runs in the materialise worker, or in the calling
 * thread where no worker can start.
 */
import { slots } from "../../core/slots";
import { promiseCalls, type FileCalls } from "./file-calls";
import { applyRecord, Binary, opsText, type Blobs, type Content, type JournalOp } from "./journal-ops";
import { Spares } from "./spares";

export interface ApplyTask {
  /** The ordering unit (an entry folder or one file); undefined: after everything before it. */
  key: string | undefined;
  /** Paths relative to data/, already stripped of ops a newer change replaces. */
  ops: JournalOp[];
  /** The journal line of the record, when the task writes all of it unchanged: sent as it is (encodeTasks). */
  line?: string;
}

/** Tasks as the writer thread is sent them: one JSON text, and the bytes of Binary contents beside it. */
export interface EncodedTasks {
  text: string;
  /**
   * The bytes the text refers to as `"blob":[start,end]`, one after another in one buffer: it is
   * transferred to the writer thread, not cloned (cloning one small array per attachment cost the
   * sending thread ~80 µs each), and never sent as base64 to decode.
   */
  blobs: Uint8Array;
}

/**
 * The tasks for the writer thread. A task that writes its record unchanged is sent as the journal
 * line already made for it, so the dispatcher's thread does not stringify it again; unless the
 * record holds bytes: its ops are sent then, their bytes beside the text (its line has them as
 * base64, which the writer would have to decode).
 */
export function encodeTasks(tasks: readonly ApplyTask[]): EncodedTasks {
  const held: Blobs = { parts: [], size: 0 };
  const parts = tasks.map((t) => {
    const key = t.key === undefined ? "" : `"key":${JSON.stringify(t.key)},`;
    return t.line !== undefined && !t.ops.some(holdsBytes) ? `{${key}"record":${t.line}}` : `{${key}"ops":${opsText(t.ops, held)}}`;
  });
  const blobs = new Uint8Array(held.size);
  let at = 0;
  for (const b of held.parts) {
    blobs.set(b, at);
    at += b.byteLength;
  }
  return { text: `[${parts.join(",")}]`, blobs };
}

/** True when the op writes bytes held in memory (Binary). */
export const holdsBytes = (op: JournalOp): boolean =>
  op.op === "write" ? op.base64 instanceof Binary : op.op === "folder" && op.files.some((f) => f.base64 instanceof Binary);

type Sent = Content & { blob?: [number, number] };

export function decodeTasks({ text, blobs }: EncodedTasks): ApplyTask[] {
  const raw = JSON.parse(text) as Array<{ key?: string; ops?: JournalOp[]; record?: { ops: JournalOp[] } }>;
  const bytesOf = (c: Sent): void => {
    if (c.blob === undefined) return;
    c.base64 = new Binary(blobs.subarray(c.blob[0], c.blob[1]));
    delete c.blob;
  };
  return raw.map((t) => {
    const ops = t.record ? t.record.ops : (t.ops ?? []);
    for (const op of ops) {
      if (op.op === "write") bytesOf(op);
      else if (op.op === "folder") for (const f of op.files) bytesOf(f);
    }
    return { key: t.key, ops };
  });
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
 * hundred inodes a run, and each freed inode slows every new file for 1–6 minutes on this disk
 * (exchange.ts).
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

