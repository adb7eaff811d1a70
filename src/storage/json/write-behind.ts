/**
 * Writing the readable files behind the journal (see journal.ts): durable changes wait here, readers
 * see them through the overlay, and drains write them in journal order per queue entry (or file),
 * several entries at once, skipping what a newer change replaces and writing a new entry's folder
 * once with its newest files.
 *
 * A drain that fails (disk full) settles nothing: its changes stay in the overlay for readers and are
 * applied again by the next drain, which is safe because every op carries its file's full content.
 */
import { writeFailure } from "./files";
import { applyRecord, relativePath, type JournalOp, type JournalRecord } from "./journal-ops";
import { orderingKey, Overlay, type Peeked } from "./overlay";

export interface WriteBehindOptions {
  materialiseMs: number;
  materialiseBytes: number;
}

interface Durable {
  seq: number;
  record: JournalRecord;
  bytes: number;
}

/** Files written by at most this many file operations at once. */
const MATERIALISE_WIDTH = 16;

export class WriteBehind {
  private unapplied: Durable[] = [];
  private unappliedBytes = 0;
  private readonly overlay = new Overlay();
  private seq = 0;
  private materialiseTimer: ReturnType<typeof setTimeout> | undefined;
  /** Drains of `unapplied`, one at a time in order (a drain's files never overtake an earlier one's). */
  private draining: Promise<void> = Promise.resolve();
  /** Why the last drain failed (disk full…): its changes wait in `unapplied`. */
  private failure: unknown;

  /** `dirty()` is the set collecting every path written, for the journal's next checkpoint to make durable. */
  constructor(
    private readonly dataDir: string,
    private readonly options: WriteBehindOptions,
    private readonly dirty: () => Set<string>,
  ) {}

  /** Changes wait for the writing when this much is behind (bounds memory when files are slower than the journal). */
  get overloaded(): boolean {
    return this.unappliedBytes > 4 * this.options.materialiseBytes;
  }

  waitForDrain(): Promise<void> {
    return this.draining;
  }

  /** A durable change (paths relative to data/): readers see it from now on; its files follow. */
  add(record: JournalRecord, bytes: number): void {
    const durable = { seq: ++this.seq, record, bytes };
    this.overlay.add(durable.seq, record);
    this.unapplied.push(durable);
    this.unappliedBytes += bytes;
    this.materialiseSoon(this.unappliedBytes >= this.options.materialiseBytes ? 0 : this.options.materialiseMs);
  }

  peek(path: string): Peeked {
    return this.overlay.size === 0 ? undefined : this.overlay.peek(relativePath(this.dataDir, path));
  }

  /** Writes every change added so far; throws (DBUS_STO_DISK_FULL…) when they cannot all be written. */
  async writeAll(): Promise<void> {
    clearTimeout(this.materialiseTimer);
    this.materialiseTimer = undefined;
    await this.materialise();
    if (this.failure !== undefined) throw writeFailure(this.dataDir, this.failure);
  }

  private materialiseSoon(ms: number): void {
    if (this.materialiseTimer !== undefined && ms > 0) return;
    clearTimeout(this.materialiseTimer);
    this.materialiseTimer = setTimeout(() => {
      this.materialiseTimer = undefined;
      void this.materialise();
    }, ms);
  }

  /** Writes the files of every durable change so far (after any drain in flight); never rejects. */
  private materialise(): Promise<void> {
    this.draining = this.draining.then(() => this.drain());
    return this.draining;
  }

  private async drain(): Promise<void> {
    const work = this.unapplied;
    if (work.length === 0) return;
    this.unapplied = [];
    const bytes = this.unappliedBytes;
    this.unappliedBytes = 0;
    try {
      await this.applyInOrder(work);
    } catch (e) {
      // Nothing of this drain is settled: the overlay still answers readers, and the next drain (or
      // checkpoint) applies the same changes again, which is safe: every op carries its full content.
      this.unapplied = [...work, ...this.unapplied];
      this.unappliedBytes += bytes;
      this.failure = e;
      return;
    }
    for (const d of work) this.overlay.settle(d.seq, d.record);
    this.failure = undefined;
  }

  /**
   * Applies durable changes in journal order per queue entry (or per file), up to MATERIALISE_WIDTH at
   * once, skipping ops a newer pending change replaces. A record that touches more than one unit waits
   * for everything before it.
   */
  private async applyInOrder(work: Durable[]): Promise<void> {
    const chains = new Map<string, Promise<void>>();
    const gate = limiter(MATERIALISE_WIDTH);
    const settleAll = async () => {
      const results = await Promise.allSettled(chains.values());
      chains.clear();
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    };
    for (const d of work) {
      const key = recordKey(d.record);
      if (key === undefined) {
        await settleAll();
        await this.applyDurable(d);
        continue;
      }
      const previous = chains.get(key) ?? Promise.resolve();
      chains.set(key, previous.then(() => gate(() => this.applyDurable(d))));
    }
    await settleAll();
  }

  private async applyDurable(d: Durable): Promise<void> {
    const overlay = this.overlay;
    const folds: Array<{ rel: string; seq: number }> = [];
    const ops: JournalOp[] = [];
    for (const op of d.record.ops) {
      if (overlay.superseded(d.seq, op.path) || (op.op === "write" && overlay.folded(d.seq, op.path))) continue;
      if (op.op !== "folder") {
        ops.push(op);
        continue;
      }
      // The folder is written with the newest pending content of its files; their own writes are then skipped.
      const files = op.files.map((f) => {
        const rel = `${op.path}/${f.name}`;
        const newer = overlay.newerContent(d.seq, rel);
        if (!newer) return f;
        folds.push({ rel, seq: newer.seq });
        return { name: f.name, text: newer.text, base64: newer.base64 };
      });
      ops.push({ ...op, files });
    }
    if (ops.length === 0) return;
    try {
      await applyRecord(this.dataDir, { ops }, this.dirty());
    } catch (e) {
      throw writeFailure(ops[0]!.path, e);
    }
    for (const f of folds) overlay.fold(f.rel, f.seq);
  }
}

/** The ordering unit of a record: every op in one queue entry (or one file), or undefined for "after everything". */
function recordKey(record: JournalRecord): string | undefined {
  const first = record.ops[0] && orderingKey(record.ops[0]);
  return first !== undefined && record.ops.every((op) => orderingKey(op) === first) ? first : undefined;
}

/** Runs at most `width` of the given tasks at once. */
function limiter(width: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active >= width) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
