/**
 * Configuration problems the dispatcher found (a client config that does not parse, a definition
 * whose plugin is missing): kept per client, reported and logged once each time they change, with
 * a recovery entry in the client's logs once fixed.
 */
import { iso, type Clock } from "../core/clock";
import { describeError, reasonOf, type DatabusError } from "../core/errors";
import { uuidv7 } from "../core/ids";
import type { LogLevel } from "../core/log";
import type { Database } from "../storage/database";

/** The whole client's problem is kept under this definition name. */
export const WHOLE_CLIENT = "";

export class ConfigProblems {
  /** client → definition (or WHOLE_CLIENT) → the problem line. */
  private byClient = new Map<string, Map<string, string>>();

  constructor(
    private db: Database,
    private clock: Clock,
    private report: (line: string) => void = () => {},
  ) {}

  /** Problems now, one line each (code, message, hint), clients in order. */
  current(): string[] {
    return [...this.byClient.values()].flatMap((m) => [...m.values()]);
  }

  /**
   * Replaces what is known about one client with `now` (definition → error). New or changed
   * problems are reported and logged as errors; problems that went away get an info log saying so.
   * A log that cannot be written (disk full) is reported, never thrown: the dispatcher keeps ticking.
   */
  async update(client: string, now: Map<string, DatabusError>): Promise<void> {
    const before = this.byClient.get(client) ?? new Map<string, string>();
    const after = new Map<string, string>();
    for (const [where, error] of now) after.set(where, describeError(error));
    if (after.size > 0) this.byClient.set(client, after);
    else this.byClient.delete(client);
    for (const [where, text] of after) {
      if (before.get(where) === text) continue;
      this.report(text);
      await this.log(client, where, "error", "configuration problem", text);
    }
    for (const [where, text] of before) {
      if (after.has(where)) continue;
      const what = where === WHOLE_CLIENT ? `client ${client}` : `passenger definition ${where}`;
      const fixed = `The configuration problem is fixed and ${what} runs again. It was: ${text}`;
      this.report(fixed);
      await this.log(client, where, "info", "configuration fixed", fixed);
    }
  }

  /** Forgets clients that no longer exist, so a deleted client leaves no stale problem behind. */
  retain(clients: readonly string[]): void {
    const keep = new Set(clients);
    for (const client of [...this.byClient.keys()]) if (!keep.has(client)) this.byClient.delete(client);
  }

  private async log(client: string, where: string, level: LogLevel, title: string, message: string): Promise<void> {
    const now = this.clock.now();
    const id = uuidv7(now);
    try {
      await this.db.createLog(client, { id, origin: "console", at: iso(now), title, definition: where === WHOLE_CLIENT ? null : where });
      await this.db.appendLog(client, id, [{ at: iso(now), level, source: "configuration", message }]);
    } catch (e) {
      this.report(`The ${title} of client ${client} could not be written to its log: ${reasonOf(e)}`);
    }
  }
}
