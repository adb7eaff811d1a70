/**
 * Writing the readable files behind the journal (see journal.ts): durable changes wait here, readers
 * see them through the overlay, and drains write them in journal order per queue entry (or file),
 * several entries at once, skipping what a newer change replaces and writing a new entry's folder
 * once with its newest files.
 *
 * A drain that fails (disk full) settles nothing: its changes stay in the overlay for readers and are
 * applied again by the next drain, which is safe because every op carries its file's full content.
 */
import { resolve } from "node:path";
import { writeFailure } from "./files";
import { ApplyFailure, type ApplyTask } from "./apply-order";
import { relativePath, type JournalOp, type JournalRecord } from "./journal-ops";
import { workerMaterialiser, type Materialiser } from "./materialiser";
import { orderingKey, Overlay, type Peeked } from "./overlay";

export interface WriteBehindOptions {
  materialiseMs: number;
  materialiseBytes: number;
}

interface Durable {
  seq: number;
  record: JournalRecord;
  /** The record's journal line (JSON of the record, then a newline). */
  line: string;
}

export class WriteBehind {
  private unapplied: Durable[] = [];
  private unappliedBytes = 0;
  private readonly overlay = new Overlay();
  private seq = 0;
  private materialiseTimer: ReturnType<typeof setTimeout> | undefined;
  /** Drains of `unapplied`, one at a time in order (a drain's files never overtake an earlier one's). */
  private draining: Promise<void> = Promise.resolve();
  /** The drain asked for that has not started yet (it will take every change added until it starts). */
  private queued: Promise<void> | undefined;
  /** Why the last drain failed (disk full…): its changes wait in `unapplied`. */
  private failure: unknown;
  /** Callers held by room() until a drain takes what waits. */
  private roomWaiters: (() => void)[] = [];

  /** `dirty()` is the set collecting every path written, for the journal's next checkpoint to make durable. */
  constructor(
    private readonly dataDir: string,
    private readonly options: WriteBehindOptions,
    private readonly dirty: () => Set<string>,
    private readonly materialiser: Materialiser = workerMaterialiser(),
  ) {}

  /** Changes wait for the writing when this much is behind (bounds memory when files are slower than the journal). */
  get overloaded(): boolean {
    return this.unappliedBytes > 4 * this.options.materialiseBytes;
  }

  /**
   * Resolves once a drain has taken the changes that wait (backpressure, while `overloaded`): callers
   * go on while that drain writes them. Waiting for that drain to end as well held callers for two
   * whole drains, the one in flight and the next (3.6–3.8 s in a +10 KB run of 10,000, a third of
   * it). Memory stays bounded: one drain's changes in flight and at most the bound waiting. While the
   * files cannot be written (disk full) each retry takes the changes again, so callers are not held
   * for good: the journal still takes changes, as the store's other writes do.
   */
  room(): Promise<void> {
    if (!this.overloaded) return Promise.resolve();
    this.materialiseSoon(0);
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** A drain of everything added so far (queued now, not left to the timer), for callers to wait on. */
  waitForDrain(): Promise<void> {
    clearTimeout(this.materialiseTimer);
    this.materialiseTimer = undefined;
    return this.materialise();
  }

  /** A durable change (paths relative to data/) and its journal line: readers see it from now on; its files follow. */
  add(record: JournalRecord, line: string): void {
    const durable = { seq: ++this.seq, record, line };
    this.overlay.add(durable.seq, record);
    this.unapplied.push(durable);
    this.unappliedBytes += line.length;
    this.materialiseSoon(this.unappliedBytes >= this.options.materialiseBytes ? 0 : this.options.materialiseMs);
  }

  peek(path: string, share = false): Peeked {
    return this.overlay.size === 0 ? undefined : this.overlay.peek(relativePath(this.dataDir, path), share);
  }

  /** Writes every change added so far; throws (DBUS_STO_DISK_FULL…) when they cannot all be written. */
  async writeAll(): Promise<void> {
    await this.waitForDrain();
    if (this.failure !== undefined) throw writeFailure(this.dataDir, this.failure);
  }

  /** Deletes the writer's spare temps (the store is closing: it leaves none behind). */
  clearSpares(): Promise<void> {
    return this.materialiser.clearSpares?.() ?? Promise.resolve();
  }

  private materialiseSoon(ms: number): void {
    if (this.materialiseTimer !== undefined && ms > 0) return;
    clearTimeout(this.materialiseTimer);
    this.materialiseTimer = setTimeout(() => {
      this.materialiseTimer = undefined;
      void this.materialise();
    }, ms);
  }

  /**
   * Writes the files of every durable change so far (after any drain in flight); never rejects. One
   * drain writes and at most one more waits: asked for again before it starts, the waiting one is the
   * answer, as it takes everything added until it starts. Chaining a drain per ask queued one behind
   * the other while callers held by backpressure asked again and again, each taking what had come
   * since: a checkpoint's writeAll then waited for all of them (14 s in a run of 100,000 passengers),
   * and the journal grew all that time (to 365 MB, 11 times the checkpoint size).
   */
  private materialise(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.draining.then(() => {
      this.queued = undefined;
      return this.drain();
    });
    this.queued = next;
    this.draining = next;
    return next;
  }

  private async drain(): Promise<void> {
    const work = this.unapplied;
    if (work.length === 0) return;
    this.unapplied = [];
    const bytes = this.unappliedBytes;
    this.unappliedBytes = 0;
    this.wakeRoomWaiters();
    try {
      // Twice the usual size: changes came faster than the files were written (Materialiser.apply's `behind`).
      await this.materialiser.apply(this.dataDir, this.plan(work), this.dirty(), bytes >= 2 * this.options.materialiseBytes);
    } catch (e) {
      // Nothing of this drain is settled: the overlay still answers readers, and the next drain (or
      // checkpoint) applies the same changes again, which is safe: every op carries its full content.
      this.unapplied = [...work, ...this.unapplied];
      this.unappliedBytes += bytes;
      this.failure = e instanceof ApplyFailure ? writeFailure(resolve(this.dataDir, e.path), e.reason) : e;
      return;
    }
    for (const d of work) this.overlay.settle(d.seq, d.record);
    this.failure = undefined;
  }

  private wakeRoomWaiters(): void {
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Plans the drain's file writes in journal order: ops a newer pending change replaces are left out,
   * a new entry's folder takes the newest pending content of its files (whose own writes are then left
   * out). The materialiser applies the plan (see apply-order.ts for the ordering).
   */
  private plan(work: Durable[]): ApplyTask[] {
    const overlay = this.overlay;
    const tasks: ApplyTask[] = [];
    for (const d of work) {
      const ops: JournalOp[] = [];
      let unchanged = true;
      for (const op of d.record.ops) {
        if (overlay.superseded(d.seq, op.path) || (op.op === "write" && overlay.folded(d.seq, op.path))) {
          unchanged = false;
          continue;
        }
        if (op.op !== "folder") {
          ops.push(op);
          continue;
        }
        const files = op.files.map((f) => {
          const rel = `${op.path}/${f.name}`;
          const newer = overlay.newerContent(d.seq, rel);
          if (!newer) return f;
          // Marked now: a failed drain is planned again from the same marks, so the choice repeats.
          overlay.fold(rel, newer.seq);
          unchanged = false;
          return { name: f.name, text: newer.text, base64: newer.base64, json: newer.json };
        });
        ops.push({ ...op, files });
      }
      if (ops.length > 0) tasks.push(unchanged ? { key: recordKey(d.record), ops, line: d.line } : { key: recordKey(d.record), ops });
    }
    return tasks;
  }
}

/** The ordering unit of a record: every op in one queue entry (or one file), or undefined for "after everything". */
function recordKey(record: JournalRecord): string | undefined {
  const first = record.ops[0] && orderingKey(record.ops[0]);
  return first !== undefined && record.ops.every((op) => orderingKey(op) === first) ? first : undefined;
}
