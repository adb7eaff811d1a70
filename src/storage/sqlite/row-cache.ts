/**
 * The rows of the entries this connection seated or changed last, while they still have a step to
 * run, so the pipeline's next change to an entry does not read its row back: 10,000 passengers make
 * ~30,000 step changes, and reading the row was ~10 µs of each (a tenth of a sqlite run).
 *
 * Only what this connection committed is kept, and only while no other connection has committed:
 * `PRAGMA data_version` changes exactly then (SQLite's promise; a checkpoint does not change it),
 * and the cache empties. Rows kept during a write count only once it commits; a write that fails
 * forgets every row it touched. Every write to queue_entries must go through write() and say what
 * it did to the rows it touched (keep or forget): seat, step and passenger changes, log links,
 * deletes (queue.ts); deleting a client empties the cache (index.ts).
 */
import type { Connection } from "./connection";
import type { StoredRow } from "./queue-reads";

/**
 * At most this many rows and this many characters of them (payloads can be of any size), the
 * oldest going first: 10,000 passengers of 1 KB in flight fit (~2,000 characters a row).
 */
const ROW_LIMIT = 20_000;
const TEXT_LIMIT = 32_000_000;

/** The row's size as the limit counts it: its long texts, plus a little for the rest. */
const sizeOf = (row: StoredRow): number => row.payload.length + row.steps.length + row.logIds.length + row.infos.length + 256;

const keyOf = (client: string, id: string): string => `${client}\u0000${id}`;

export class RowCache {
  private rows = new Map<string, StoredRow>();
  /** sizeOf() of every row kept. */
  private size = 0;
  private version: number | undefined;
  /** The current write's changes (undefined: forgotten), applied when it commits. */
  private changes: Map<string, StoredRow | undefined> | undefined;
  /** Set while this event-loop turn's reads have checked the version (peek). */
  private checkedThisTurn = false;

  constructor(
    private readonly conn: Connection,
    private readonly limits = { rows: ROW_LIMIT, text: TEXT_LIMIT },
  ) {}

  /** Runs `fn` in one write transaction (Connection.write); the rows it keeps count once it commits. */
  write<T>(fn: () => T): T {
    const changes = new Map<string, StoredRow | undefined>();
    let result: T;
    try {
      result = this.conn.write(() => {
        this.validate();
        this.changes = changes;
        return fn();
      });
    } catch (e) {
      for (const key of changes.keys()) this.drop(key);
      throw e;
    } finally {
      this.changes = undefined;
    }
    for (const [key, row] of changes) {
      this.drop(key); // kept again at the end: the oldest are first to go
      const size = row ? sizeOf(row) : 0;
      if (row && size <= this.limits.text) {
        this.rows.set(key, row);
        this.size += size;
      }
    }
    for (const key of this.rows.keys()) {
      if (this.rows.size <= this.limits.rows && this.size <= this.limits.text) break;
      this.drop(key);
    }
    return result;
  }

  /** The entry's row as this connection last wrote it, or undefined (then read it). Inside write() only. */
  get(client: string, id: string): StoredRow | undefined {
    const key = keyOf(client, id);
    const changes = this.changes;
    if (!changes) throw new Error("RowCache.get is for use inside RowCache.write");
    return changes.has(key) ? changes.get(key) : this.rows.get(key);
  }

  /**
   * Outside a write: the entry's row as this connection last committed it, or undefined (then read
   * it). Other connections' commits are looked for once per event-loop turn, not per read (the
   * check is a statement of its own, as dear as the read it saves): a turn's reads see the queue as
   * it was when the turn began, plus this connection's own writes.
   */
  peek(client: string, id: string): StoredRow | undefined {
    if (!this.checkedThisTurn) {
      this.validate();
      this.checkedThisTurn = true;
      setImmediate(() => (this.checkedThisTurn = false));
    }
    return this.rows.get(keyOf(client, id));
  }

  /** The row this write leaves (kept while it has something due), or undefined to forget it. */
  keep(client: string, id: string, row: StoredRow | undefined): void {
    if (!this.changes) throw new Error("RowCache.keep is for use inside RowCache.write");
    this.changes.set(keyOf(client, id), row && row.dueAt !== null ? row : undefined);
  }

  /** Forgets every row (a write this cache cannot follow, such as a client's deletion). */
  clear(): void {
    this.rows.clear();
    this.size = 0;
  }

  private drop(key: string): void {
    const row = this.rows.get(key);
    if (!row) return;
    this.rows.delete(key);
    this.size -= sizeOf(row);
  }

  /** Empties the cache when another connection has committed since it was last checked. */
  private validate(): void {
    const version = this.conn.client.query<{ data_version: number }, []>("PRAGMA data_version").get()?.data_version;
    if (version !== this.version) this.clear();
    this.version = version;
  }
}
