/**
 * The one SQLite connection of an engine: opening the file (WAL, foreign keys, busy timeout),
 * the drizzle handle over it, write transactions, and turning SQLite failures into catalogue codes
 * (SQLITE_FULL → DBUS_STO_DISK_FULL, anything else → DBUS_STO_WRITE_FAILED). Knows no table.
 */
import { Database as BunDatabase } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { drizzle, type SQLiteBunDatabase } from "drizzle-orm/bun-sqlite";
import { DatabusError, reasonOf } from "../../core/errors";
import { Checkpointer, DEFAULT_PAGES, FALLBACK_PAGES } from "./checkpointer";
import { WalSync, type Datasync } from "./wal-sync";

/** How long a write waits for another process's write lock before failing (multi-instance). */
export const BUSY_TIMEOUT_MS = 10_000;

export type Drizzle = SQLiteBunDatabase;

export class Connection {
  readonly client: BunDatabase;
  readonly db: Drizzle;
  /** Checkpoints the WAL beside this thread (checkpointer.ts); none for a read-only or in-memory file. */
  private readonly checkpointer: Checkpointer | undefined;
  /** Makes commits durable beside this thread (wal-sync.ts); none for a read-only or in-memory file. */
  private readonly walSync: WalSync | undefined;
  /**
   * Set by close(), so also "is closing": what a durable() asked for after it waits for (close's last
   * sync covers every commit).
   */
  private closing: Promise<void> | undefined;

  constructor(
    readonly file: string,
    options: { readOnly?: boolean; datasync?: Datasync } = {},
  ) {
    try {
      // A new home has no data/ folder yet; SQLite creates the file but not its folder.
      if (!options.readOnly && file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
      this.client = options.readOnly ? new BunDatabase(file, { readonly: true }) : new BunDatabase(file, { create: true, readwrite: true });
    } catch (e) {
      throw storageFailure(file, e);
    }
    this.client.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.client.run("PRAGMA foreign_keys = ON");
    // The default page cache (2 MB) is smaller than the indexes of a 200,000-entry queue; counts and
    // lists then re-read pages on every call. Up to 64 MB of cache and memory-mapped reads keep them warm.
    this.client.run("PRAGMA cache_size = -65536");
    this.client.run("PRAGMA mmap_size = 268435456");
    if (!options.readOnly) {
      // WAL: readers never block the writer. NORMAL: a commit is not fsynced inside it; every write
      // awaits durable() before it is acknowledged instead (wal-sync.ts says why that is as safe as FULL).
      this.client.run("PRAGMA journal_mode = WAL");
      this.client.run(`PRAGMA synchronous = ${file === ":memory:" ? "FULL" : "NORMAL"}`);
    }
    if (!options.readOnly && file !== ":memory:") {
      this.walSync = new WalSync(`${file}-wal`, options.datasync);
      this.checkpointer = new Checkpointer(file, () => {
        if (this.closing === undefined) this.client.run(`PRAGMA wal_autocheckpoint = ${DEFAULT_PAGES}`);
      });
      this.client.run(`PRAGMA wal_autocheckpoint = ${FALLBACK_PAGES}`);
    }
    this.db = drizzle({ client: this.client });
  }

  /** Runs `fn` in one IMMEDIATE transaction (write lock taken up front, so no upgrade deadlocks). */
  write<T>(fn: () => T): T {
    const result = this.guard(() => this.client.transaction(fn).immediate());
    this.checkpointer?.written();
    return result;
  }

  /**
   * Resolves once every commit made so far is on the disk (one fdatasync of the WAL on the thread
   * pool, shared by the commits that arrive while the previous one runs). Every write is awaited
   * through it before the engine acknowledges it; a read that leads to an action (listDue) too, so
   * that it never acts on another instance's commit that is not durable yet.
   */
  durable(): Promise<void> {
    return this.closing ?? this.walSync?.durable() ?? Promise.resolve();
  }

  /** Runs a read (or a single-statement write) with failures mapped to catalogue codes. */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storageFailure(this.file, e);
    }
  }

  /**
   * Closes the file once the syncs asked for are over; with the checkpoint thread's connection closed
   * first, this one is the last (it checkpoints and removes the WAL).
   */
  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    try {
      await this.walSync?.close();
    } finally {
      this.checkpointer?.close();
      this.client.close(false);
    }
  }
}

/** The SQLite result code of a failure, looking through drizzle's wrapping (`cause`). */
export function sqliteCode(e: unknown): string | undefined {
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_")) return code;
  }
  return undefined;
}

/** Catalogue errors pass through; SQLite's own become the codes every engine raises. */
export function storageFailure(file: string, e: unknown): DatabusError {
  if (e instanceof DatabusError) return e;
  const code = sqliteCode(e);
  if (code === "SQLITE_FULL") return new DatabusError("DBUS_STO_DISK_FULL", { path: file }, { cause: e });
  let reason = reasonOf(e);
  for (let x = (e as { cause?: unknown })?.cause; x; x = (x as { cause?: unknown }).cause) reason = reasonOf(x);
  return new DatabusError("DBUS_STO_WRITE_FAILED", { path: file, reason }, { cause: e });
}
