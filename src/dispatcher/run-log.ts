/** The log of one run: entries collected with their own timestamps and flushed to the store in batches. */
import type { Clock } from "../core/clock";
import { iso } from "../core/clock";
import { worstLevel, type LogEntry, type LogLevel } from "../core/log";
import type { Database } from "../storage/database";

export class RunLog {
  private pending: LogEntry[] = [];
  /** The worst level written so far, flushed or not: how the run ended (events.ts outcomeOf). */
  worst: LogLevel = "info";

  constructor(
    private db: Database,
    readonly client: string,
    readonly id: string,
    private clock: Clock,
  ) {}

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
      await this.db.appendLog(this.client, this.id, batch);
    } catch (e) {
      this.pending = batch.concat(this.pending);
      throw e;
    }
  }
}
