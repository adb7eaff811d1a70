/**
 * The engine's link to SQL Server: connects with backoff (never giving up at start while the server is
 * down), reports its readiness for /readyz and the System page, and runs statements with native
 * failures mapped to catalogue codes. Owns no SQL except the client-exists check.
 */
import type mssql from "mssql";
import { DatabusError } from "../../core/errors";
import { isClientId } from "../../core/ids";
import { createPool, parseConnectionString, type ConnectionOptions, type Sql, type Target } from "./connection";
import { connectFailure, queryFailure } from "./errors";
import { applyMigrations } from "./migrate";
import { selectClientExists } from "./queries/clients";

/** What /readyz and the System page show. `lastError` is a catalogue error (message has no password). */
export interface MssqlStatus {
  state: "idle" | "connecting" | "ready" | "closed";
  /** `host:port/database`, never the password. */
  host: string;
  attempts: number;
  lastError: DatabusError | null;
  /** When the next connection attempt is due (ISO), while connecting. */
  nextAttemptAt: string | null;
  /** When `state` last changed (ISO), or null before the first attempt. */
  since: string | null;
}

export interface RetryOptions {
  /** First wait after a failed attempt (default 1 s); doubles up to `maxDelayMs` (default 30 s). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this many attempts (default: never, at start the server may come later). */
  maxAttempts?: number;
}

export class Session {
  readonly target: Target;
  private pool: mssql.ConnectionPool | undefined;
  private database: Sql | undefined;
  private current: MssqlStatus;
  private wake: (() => void) | undefined;

  constructor(
    connectionString: string,
    private options: ConnectionOptions & { retry?: RetryOptions; now?: () => number } = {},
  ) {
    this.target = parseConnectionString(connectionString, options);
    this.current = { state: "idle", host: this.target.host, attempts: 0, lastError: null, nextAttemptAt: null, since: null };
  }

  status(): MssqlStatus {
    return { ...this.current };
  }

  get db(): Sql {
    if (!this.database) throw new DatabusError("DBUS_STO_UNREACHABLE", { host: this.target.host, reason: "Databus is still connecting", seconds: this.retrySeconds() });
    return this.database;
  }

  /** Connects (and migrates unless read-only), retrying with backoff; `once` gives up after the first failure. */
  async connect(options: { migrate: boolean; once: boolean }): Promise<void> {
    const retry = this.options.retry ?? {};
    let delay = retry.firstDelayMs ?? 1000;
    for (;;) {
      if (this.current.state === "closed") throw this.current.lastError ?? this.unreachable("Databus is stopping");
      this.current = { ...this.current, ...this.moveTo("connecting"), attempts: this.current.attempts + 1, nextAttemptAt: null };
      try {
        await this.connectOnce(options.migrate);
        this.current = { ...this.current, ...this.moveTo("ready"), lastError: null };
        return;
      } catch (e) {
        const error = e instanceof DatabusError && e.code.startsWith("DBUS_STO_SCHEMA") ? e : connectFailure(e, this.where());
        this.current = { ...this.current, lastError: error };
        if (options.once || error.code === "DBUS_STO_SCHEMA_TOO_NEW" || this.current.attempts >= (retry.maxAttempts ?? Number.POSITIVE_INFINITY)) throw error;
        const now = this.options.now?.() ?? Date.now();
        this.current = { ...this.current, nextAttemptAt: new Date(now + delay).toISOString() };
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        delay = Math.min(delay * 2, retry.maxDelayMs ?? 30_000);
      }
    }
  }

  private async connectOnce(migrate: boolean): Promise<void> {
    const { pool, db } = createPool(this.target);
    try {
      await pool.connect();
      if (migrate) await applyMigrations(db);
    } catch (e) {
      await pool.close().catch(() => undefined);
      throw e;
    }
    this.pool = pool;
    this.database = db;
  }

  async close(): Promise<void> {
    this.current = { ...this.current, ...this.moveTo("closed"), nextAttemptAt: null };
    this.wake?.();
    const pool = this.pool;
    this.pool = undefined;
    this.database = undefined;
    await pool?.close().catch(() => undefined);
  }

  /** Runs statements, mapping native failures to catalogue codes. */
  async run<T>(fn: (db: Sql) => Promise<T>): Promise<T> {
    try {
      return await fn(this.db);
    } catch (e) {
      throw queryFailure(e, this.where());
    }
  }

  /** Runs statements in one transaction (read committed), mapping failures likewise. */
  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.run((db) => db.transaction((tx) => fn(tx as unknown as Sql)));
  }

  /** Raises DBUS_CFG_BAD_CLIENT_ID or DBUS_CFG_CLIENT_NOT_FOUND; every client-scoped call starts here. */
  async assertKnown(client: string, db?: Sql): Promise<void> {
    if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
    const rows = await (db ? selectClientExists(db, client) : this.run((d) => selectClientExists(d, client)));
    if (rows.length === 0) throw new DatabusError("DBUS_CFG_CLIENT_NOT_FOUND", { client });
  }

  /** The new state, with `since` kept while the state stays the same (retries stay "connecting since …"). */
  private moveTo(state: MssqlStatus["state"]): Pick<MssqlStatus, "state" | "since"> {
    if (state === this.current.state && this.current.since) return { state, since: this.current.since };
    return { state, since: new Date(this.options.now?.() ?? Date.now()).toISOString() };
  }

  private retrySeconds(): number {
    return Math.max(1, Math.round((this.options.retry?.maxDelayMs ?? 30_000) / 1000));
  }

  private where() {
    return {
      host: this.target.host,
      user: this.target.user,
      retrySeconds: this.retrySeconds(),
      connectTimeoutMs: this.target.config.connectionTimeout ?? 15_000,
      requestTimeoutMs: this.target.config.requestTimeout ?? 30_000,
    };
  }

  private unreachable(reason: string): DatabusError {
    return new DatabusError("DBUS_STO_UNREACHABLE", { host: this.target.host, reason, seconds: this.retrySeconds() });
  }
}
