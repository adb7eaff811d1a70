/**
 * The log of one run: entries collected with their own timestamps and flushed to the store in batches.
 * The log itself is created in the store at its first flush, so a run that had nothing to say (nothing
 * pulled, nothing due, no warning) leaves no log at all: at 1,000 clients × 3 definitions an idle
 * minute would otherwise write 3,000 logs that say "0 pulled".
 */
import type { Clock } from "../core/clock";
import { iso } from "../core/clock";
import { worstLevel, type LogEntry, type LogLevel } from "../core/log";
import type { Database, NewLog } from "../storage/database";

export class RunLog {
  private pending: LogEntry[] = [];
  /** The worst level written so far, flushed or not: how the run ended (events.ts outcomeOf). */
  worst: LogLevel = "info";

  /** True once the log exists in the store. */
  created = false;

  /** `header` is what createLog gets at the first flush; without one the log is never stored (peek). */
  constructor(
    private db: Database,
    readonly client: string,
    readonly id: string,
    private clock: Clock,
    private header?: NewLog,
  ) {}

  /** Nothing written, nothing stored: the run may end without a log. */
  get empty(): boolean {
    return !this.created && this.pending.length === 0;
  }

  write(level: LogLevel, source: string, message: string): void {
    this.pending.push({ at: iso(this.clock.now()), level, source, message });
    this.worst = worstLevel([level], this.worst);
  }

  info(source: string, message: string): void {
    this.write("info", source, message);
  }
  warning(source: string, message: string): void {
    this.write("warning", source, message);
  }
  error(source: string, message: string): void {
    this.write("error", source, message);
  }

  /** Makes the entries so far durable. A failing store must not lose them: they stay queued. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      if (!this.created && this.header) {
        await this.db.createLog(this.client, this.header);
        this.created = true;
      }
      await this.db.appendLog(this.client, this.id, batch);
    } catch (e) {
      this.pending = batch.concat(this.pending);
      throw e;
    }
  }
}
