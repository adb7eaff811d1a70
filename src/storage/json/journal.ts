/**
 * Group commit for the json engine (DESIGN §6): changes are appended to data/journal.jsonl (record
 * types in journal-ops.ts), made durable with one fsync per batch, and then acknowledged. Their
 * readable files are written behind (overlay.ts): a little later, many changes at once, a file
 * changed several times written once; until then readers get the content through peek(). A
 * checkpoint writes every pending file, makes the files durable and truncates the journal; open()
 * replays what a crash left. One journal for the whole store: a batch then serves every client at
 * once (with per-client journals, 1,000 busy tenants would cost 1,000 fsyncs per batch).
 *
 * Errors: DBUS_STO_DISK_FULL / DBUS_STO_WRITE_FAILED when the journal cannot be written or synced
 * (nothing of that batch is acknowledged). When the files cannot be written (the change is durable),
 * the overlay keeps answering readers, later drains retry, and checkpoints fail without truncating:
 * the journal stays the only copy until the files are written (or a restart replays it).
 */
import { open, readdir, readFile, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { DatabusError } from "../../core/errors";
import { parseJsonFile, readBytesOrUndefined, readJsonOrUndefined, syncDir, writeFailure } from "./files";
import { copyJsonValue, isJournalRecord, recordLine, relativePath, type JournalOp, type JournalRecord } from "./journal-ops";
import type { Peeked } from "./overlay";
import { BatchAppender } from "./journal-append";
import { DEFAULT_JOURNAL_OPTIONS, type JournalOptions } from "./journal-options";
import { WriteBehind } from "./write-behind";

export type { JournalOptions };

/** Sealed journals: data/journal-00000001.jsonl, … (numbered, so name order is age order). */
const SEALED_PREFIX = "journal-";
const SEALED_NAME = /^journal-(\d{8})\.jsonl$/;

interface Pending {
  line: string;
  record: JournalRecord;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class Journal {
  private readonly options: JournalOptions;
  private fh: FileHandle | undefined;
  private size = 0;
  private pending: Pending[] = [];
  private pendingBytes = 0;
  /** Appends each batch's lines (journal-append.ts). */
  private readonly appender: BatchAppender;
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  private drainQueued = false;
  private checkpointTimer: ReturnType<typeof setInterval> | undefined;
  /** Journal writes, syncs and checkpoints, one at a time in order. */
  private writing: Promise<void> = Promise.resolve();
  /** Durable changes whose files are not written yet, and what readers see of them. */
  private readonly behind: WriteBehind;
  private dirty = new Set<string>();
  /**
   * Journals sealed by checkpoints, oldest first. A checkpoint seals the current journal (a rename and a
   * new empty file: a moment) and new changes go on into the new one while the sealed one's files are
   * written and synced; then it is deleted. A checkpoint that truncated in place made every caller wait
   * for the whole materialise-and-sync (seconds, with thousands of new entries). open() replays the
   * sealed ones first.
   */
  private sealed: string[] = [];
  private sealCount = 0;
  /** Retirements of sealed journals, one at a time. */
  private retiring: Promise<void> = Promise.resolve();
  private checkpointQueued = false;
  /** Journals replayed by replayLeft(), deleted by startAppending(). */
  private left: string[] = [];

  constructor(
    private readonly dataDir: string,
    readonly path: string,
    options: Partial<JournalOptions> = {},
  ) {
    this.options = { ...DEFAULT_JOURNAL_OPTIONS, ...options };
    this.behind = new WriteBehind(dataDir, this.options, () => this.dirty);
    this.appender = new BatchAppender(this.options.batchBytes);
  }

  /** replayLeft() then startAppending(), for a caller with nothing to do in between. Returns how many changes were replayed. */
  async open(): Promise<number> {
    const { replayed } = await this.replayLeft();
    await this.startAppending();
    return replayed;
  }

  /**
   * Replays what a crash left (sealed journals, then the current one; see replay()) into the files,
   * and keeps the journals: the caller may need them until it has saved what it derives from the
   * files (startAppending() deletes them). Returns how many changes were replayed (0 after a clean
   * stop) and every path they wrote or removed (relative to data/).
   */
  async replayLeft(): Promise<{ replayed: number; paths: Set<string> }> {
    this.left = await this.sealedJournals();
    let replayed = 0;
    const paths = new Set<string>();
    for (const path of [...this.left, this.path]) replayed += await this.replay(path, paths);
    // Readers after the open read the files themselves (the index rebuild of a touched client, say).
    if (replayed > 0) await this.behind.writeAll();
    return { replayed, paths };
  }

  /** Makes the replayed files durable, removes the old journals and opens the journal for appends. */
  async startAppending(): Promise<void> {
    const left = this.left;
    this.left = [];
    const written = this.dirty.size > 0;
    try {
      this.fh = await open(this.path, "a");
      if (written) await this.syncDirty();
      for (const path of left) await rm(path, { force: true });
      // A journal that held only torn lines is emptied too: its changes were never acknowledged.
      if ((await this.fh.stat()).size > 0) await this.truncate();
    } catch (e) {
      throw writeFailure(this.path, e);
    }
    this.checkpointTimer = setInterval(() => void this.checkpoint().catch(() => undefined), this.options.checkpointMs);
    this.checkpointTimer.unref?.();
  }

  /**
   * Appends one change and resolves once it is durable in the journal (its files follow, written
   * behind; readers see it at once through peek()). Paths may be absolute (under data/) or relative
   * to data/; they are stored relative.
   */
  commit(ops: JournalOp[]): Promise<void> {
    return this.commitEach([ops])[0]!;
  }

  /** Like commitEach, resolving once every change is durable (rejecting if one is not). */
  commitAll(changes: JournalOp[][]): Promise<void> {
    return Promise.all(this.commitEach(changes)).then(() => undefined);
  }

  /**
   * Appends several changes, one record each (a replay applies each whole or not at all), usually
   * in one batch; each promise resolves once its change is durable. A batch that fails rejects only
   * its own changes: the caller learns which of them are stored. Nothing is appended when one of
   * them is refused (a path outside data/): every promise rejects.
   */
  commitEach(changes: JournalOp[][]): Promise<void>[] {
    if (!this.fh) {
      const closed = new DatabusError("DBUS_STO_WRITE_FAILED", { path: this.path, reason: "the store is not open" });
      return changes.map(() => Promise.reject(closed));
    }
    let records: JournalRecord[];
    try {
      records = changes.map((ops) => ({ ops: ops.map((op) => ({ ...op, path: relativePath(this.dataDir, op.path) })) }));
    } catch (e) {
      return changes.map(() => Promise.reject(e));
    }
    const lines = records.map(recordLine);
    // Backpressure: when files are written slower than changes come, callers wait until a drain takes them (room()).
    const drained = this.behind.overloaded ? this.behind.room() : undefined;
    return lines.map((line, i) => (drained ? drained.then(() => this.enqueue(line, records[i]!)) : this.enqueue(line, records[i]!)));
  }

  private enqueue(line: string, record: JournalRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line, record, resolve, reject });
      this.pendingBytes += line.length;
      if (this.pendingBytes >= this.options.batchBytes) this.closeBatch();
      else this.batchTimer ??= setTimeout(() => this.closeBatch(), this.options.batchMs);
    });
  }

  /** Writes the files of every change acknowledged so far (not durably: that is a checkpoint's job). */
  writeFiles(): Promise<void> {
    return this.behind.writeAll();
  }

  /**
   * Seals the journal (between batches), then writes every pending file, makes the files durable and
   * deletes the sealed journals. Resolves when all of that is done; appends go on meanwhile.
   */
  checkpoint(): Promise<void> {
    this.closeBatch();
    const sealing = this.writing.then(() => this.seal());
    this.writing = sealing.catch(() => undefined);
    const retired = Promise.all([sealing, this.retiring]).then(() => this.retire());
    this.retiring = retired.catch(() => undefined);
    return retired;
  }

  /**
   * Flushes what is pending, checkpoints and closes; later commits are refused. A checkpoint that
   * fails (disk full) is raised after the journal is closed all the same: every acknowledged change
   * is in it, and the next open replays it.
   */
  async close(): Promise<void> {
    if (!this.fh) return;
    clearInterval(this.checkpointTimer);
    try {
      await this.checkpoint();
      // Only after a checkpoint that wrote everything: spares are written over by the next drain otherwise.
      await this.behind.clearSpares();
    } finally {
      // Behind any write still in the chain (a failed checkpoint's seal may have reopened the file).
      await this.writing;
      await this.fh?.close();
      this.fh = undefined;
    }
  }

  /**
   * Queues one drain of the pending changes behind the write in flight. The drain takes what has
   * gathered by the time it runs, so callers arriving during an fsync share the next one.
   */
  private closeBatch(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.drainQueued || this.pending.length === 0) return;
    this.drainQueued = true;
    this.writing = this.writing.then(() => {
      this.drainQueued = false;
      const batch = this.takeBatch();
      return batch.length > 0 ? this.flush(batch) : undefined;
    });
  }

  /** Up to batchBytes of the pending changes (at least one); the rest waits for the next drain. */
  private takeBatch(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.pending.length && (n === 0 || bytes + this.pending[n]!.line.length <= this.options.batchBytes)) bytes += this.pending[n++]!.line.length;
    const batch = this.pending.splice(0, n);
    this.pendingBytes -= bytes;
    if (this.pending.length > 0) this.closeBatch();
    return batch;
  }

  /**
   * One write and one fsync for the whole batch; then its callers are released and readers see the
   * changes through the overlay. The files are written later (materialise).
   */
  private async flush(batch: Pending[]): Promise<void> {
    const before = this.size;
    try {
      const bytes = this.appender.append(this.fh!.fd, batch);
      await this.options.sync(this.fh!);
      this.size += bytes;
    } catch (e) {
      // Cut the journal back so no torn line sits before the next batch; that batch is refused.
      await this.fh!.truncate(before).catch(() => undefined);
      const failure = writeFailure(this.path, e);
      for (const p of batch) p.reject(failure);
      return;
    }
    for (const p of batch) {
      this.behind.add(p.record, p.line);
      p.resolve();
    }
    if (this.size >= this.options.checkpointBytes && !this.checkpointQueued) {
      this.checkpointQueued = true;
      // A failed checkpoint loses nothing (the sealed journal stays until a later one succeeds or open replays it).
      void this.checkpoint()
        .catch(() => undefined)
        .finally(() => (this.checkpointQueued = false));
    }
  }

  /**
   * What a reader of `path` (absolute, under data/) must see: the content of a durable change not yet
   * written to the file, "absent" when such a change removed it, undefined when the file is current.
   */
  peek(path: string, share = false): Peeked {
    return this.behind.peek(path, share);
  }

  /**
   * The file's bytes as the last acknowledged change left them; undefined when it does not exist.
   * `share`: pending bytes as held, not a copy, for a caller that only compares them (Overlay.peek).
   */
  async readBytes(path: string, share = false): Promise<Uint8Array | undefined> {
    const pending = this.peek(path, share);
    if (pending === "absent") return undefined;
    if (pending === undefined) return readBytesOrUndefined(path);
    return typeof pending.content === "string" ? new TextEncoder().encode(pending.content) : pending.content;
  }

  /** The file parsed as JSON as the last acknowledged change left it (DBUS_STO_CORRUPT_FILE when it is not JSON). */
  async readJson<T>(path: string): Promise<T | undefined> {
    const pending = this.peek(path);
    if (pending === "absent") return undefined;
    if (pending === undefined) return readJsonOrUndefined<T>(path);
    // The caller's own copy, as a file read would give: the pending value is written later as it is now.
    if (pending.json !== undefined) return copyJsonValue<T>(pending.json);
    const text = typeof pending.content === "string" ? pending.content : new TextDecoder().decode(pending.content);
    return parseJsonFile<T>(path, text);
  }

  /** Renames the journal aside and starts an empty one; runs in the writing chain, between batches. */
  private async seal(): Promise<void> {
    if (this.size === 0) return;
    const sealedPath = join(this.dataDir, `${SEALED_PREFIX}${String(++this.sealCount).padStart(8, "0")}.jsonl`);
    await this.fh!.close();
    try {
      await rename(this.path, sealedPath);
      this.sealed.push(sealedPath);
    } finally {
      this.fh = await open(this.path, "a");
    }
    // The new journal's name must be durable before changes appended to it are acknowledged.
    await syncDir(this.dataDir);
    this.size = 0;
  }

  /** Writes every pending file, syncs them, and deletes the journals sealed before this started. */
  private async retire(): Promise<void> {
    const covered = [...this.sealed];
    // Files still unwritten (disk full) throw here: the sealed journals are their only copy, so they stay.
    await this.writeFiles();
    await this.syncDirty();
    if (covered.length > 0) await this.options.beforeRetire?.();
    for (const path of covered) await rm(path, { force: true });
    this.sealed = this.sealed.filter((p) => !covered.includes(p));
  }

  private async syncDirty(): Promise<void> {
    if (this.dirty.size === 0) return;
    const dirty = this.dirty;
    this.dirty = new Set();
    try {
      await this.options.syncFiles(this.dataDir, dirty);
    } catch (e) {
      for (const d of dirty) this.dirty.add(d);
      throw writeFailure(this.dataDir, e);
    }
  }

  /** Journals a checkpoint sealed and a crash left, oldest first; numbering goes on after them. */
  private async sealedJournals(): Promise<string[]> {
    const names = (await readdir(this.dataDir).catch(() => [] as string[])).filter((n) => SEALED_NAME.test(n)).sort();
    const last = names.at(-1);
    if (last) this.sealCount = Number(SEALED_NAME.exec(last)![1]);
    return names.map((n) => join(this.dataDir, n));
  }

  private async truncate(): Promise<void> {
    await this.fh!.truncate(0);
    await this.options.sync(this.fh!);
    this.size = 0;
  }

  /**
   * Hands every complete record, in order, to the files written behind, as a live change is (the
   * caller writes them all once every journal is read). A line cut short (no newline, or not a
   * record) was never acknowledged: its batch failed or the process died before its fsync returned,
   * so it is skipped. Records of a client whose config.json is gone (deleted before the crash) are
   * skipped too.
   *
   * Applying each record to its files in turn took 90 s for the 95 MB of journal a crash under load
   * left (72,574 changes of a run whose entries were purged): every status change written, every
   * entry folder made and then removed. Written behind, a change a later one replaces is not written,
   * a new entry's folder is made once with its newest files, and the writer thread does the rest.
   * Memory stays bounded as for live changes: the replay waits while too much is unwritten.
   */
  private async replay(path: string, paths: Set<string>): Promise<number> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw e;
    }
    const lines = text.split("\n");
    lines.pop(); // after the last newline: empty, or a torn line
    let count = 0;
    const clients = new Map<string, boolean>();
    for (const line of lines) {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        continue;
      }
      if (!isJournalRecord(record)) continue;
      const ops: JournalOp[] = [];
      for (const op of record.ops) if (await this.clientExists(op.path, clients)) ops.push({ ...op, path: relativePath(this.dataDir, op.path) });
      for (const op of ops) paths.add(op.path);
      count++;
      if (ops.length === 0) continue;
      const kept = { ops };
      const same = ops.length === record.ops.length && ops.every((op, i) => op.path === record.ops[i]!.path);
      this.behind.add(kept, same ? `${line}\n` : recordLine(kept));
      if (this.behind.overloaded) await this.behind.room();
    }
    return count;
  }

  private async clientExists(path: string, known: Map<string, boolean>): Promise<boolean> {
    const [top, client] = relativePath(this.dataDir, path).split("/");
    if (top !== "clients" || !client) return true;
    if (!known.has(client)) known.set(client, await Bun.file(`${this.dataDir}/clients/${client}/config.json`).exists());
    return known.get(client)!;
  }
}
