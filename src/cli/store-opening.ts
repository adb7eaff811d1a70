/**
 * `serve` listens before the store is open, so the console and /healthz answer while SQL Server is
 * still down. This wraps the engine for the web: `status()` says "opening" (with the last failure and
 * since when) until `open()` resolved, then it is the engine's own. Failures the catalogue marks
 * retryable are retried with backoff; anything else (a locked home, a schema too new) ends the start.
 */
import { iso, type Clock } from "../core/clock";
import { DatabusError, isDatabusError } from "../core/errors";
import type { Database, StorageStatus } from "../storage/database";

export interface OpenRetry {
  /** First wait after a failed open (default 1 s); doubles up to `maxDelayMs` (default 30 s). */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export class StoreOpening {
  /** The engine as the web sees it: every call goes to the engine, `status()` honest while opening. */
  readonly db: Database;
  private opened = false;
  private closed = false;
  private since: string;
  private lastFailure: DatabusError | null = null;
  private wake: (() => void) | undefined;

  constructor(
    private engine: Database,
    private clock: Clock,
  ) {
    this.since = iso(clock.now());
    this.db = new Proxy(engine, {
      get: (target, prop) => {
        if (prop === "status") return () => this.status();
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  get isOpen(): boolean {
    return this.opened;
  }

  status(): StorageStatus {
    const own = this.engine.status();
    if (this.opened) return { ...own, since: own.since ?? this.since };
    // An engine that reports its own progress (mssql) knows best; a local one says ready before open.
    if (!own.ready) return own;
    const text = this.lastFailure ? `could not be opened yet: ${this.lastFailure.message}` : "opening";
    return { ready: false, text, since: this.since };
  }

  /**
   * Says so (`say`) when the store keeps the start waiting: after `firstMs` one line, and for a local
   * store every `everyMs` what it is doing now, when that changed (a json store reading every entry
   * folder of a large queue: minutes). Returns the function that ends it (once open, or failed).
   */
  announce(engine: string, consoleUrl: string, say: (line: string) => void, { firstMs = 2000, everyMs = 10_000 } = {}): () => void {
    let said = "";
    const first = setTimeout(() => {
      said = this.status().text;
      // SQL Server down: the engine retries until it answers.
      if (engine === "mssql") say(`Storage is not reachable yet (mssql ${said}); the console answers at ${consoleUrl} and Databus keeps trying.`);
      else say(`The ${engine} store is still opening (${said}); the console answers at ${consoleUrl} meanwhile.`);
    }, firstMs);
    const progress = setInterval(() => {
      const now = this.status();
      if (engine === "mssql" || now.ready || said === "" || now.text === said) return;
      say(`Still opening the store: ${(said = now.text)}.`);
    }, everyMs);
    return () => {
      clearTimeout(first);
      clearInterval(progress);
    };
  }

  /** Opens the engine, retrying retryable failures until it opens or `stop()` is called. */
  async open(retry: OpenRetry = {}): Promise<void> {
    let delay = retry.firstDelayMs ?? 1000;
    for (;;) {
      try {
        await this.engine.open();
        this.opened = true;
        this.since = iso(this.clock.now());
        return;
      } catch (e) {
        if (this.closed || !isDatabusError(e) || !e.retryable) throw e;
        this.lastFailure = e;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => (clearTimeout(timer), resolve());
        });
        if (this.closed) throw e;
        delay = Math.min(delay * 2, retry.maxDelayMs ?? 30_000);
      }
    }
  }

  /** Stops retrying and closes the engine (which also ends an engine's own retries). */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.engine.close();
  }
}
