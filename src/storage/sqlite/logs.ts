/**
 * Logs: one `logs` row per log (the header: origin, time, title, definition, worst level, entry count,
 * finish time and counts as JSON) and one `log_entries` row per entry, numbered in append order.
 *
 * Inputs: client (checked here), log id, entries, filter, page. Outputs: Log / LogHeader, or undefined.
 * Errors: DBUS_STO_LOG_NOT_FOUND (append or finish of an unknown log), DBUS_STO_DISK_FULL.
 * Lists walk logs_at / logs_origin / logs_definition newest first.
 */
import { and, asc, count, desc, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import { DatabusError } from "../../core/errors";
import { isAtLeast, LOG_LEVELS, worstLevel, type Log, type LogEntry, type LogHeader, type LogLevel, type LogOrigin, type RunCounts } from "../../core/log";
import type { LogFilter, NewLog, Page } from "../database";
import type { Clients } from "./clients";
import type { Connection } from "./connection";
import { logEntries, logs } from "./schema";

type LogRow = typeof logs.$inferSelect;

const headerOf = (r: LogRow): LogHeader => ({
  id: r.id,
  origin: r.origin as LogOrigin,
  at: r.at,
  title: r.title,
  definition: r.definition,
  level: r.level as LogLevel,
  entries_count: r.entriesCount,
  finished_at: r.finishedAt,
  counts: r.counts === null ? null : (JSON.parse(r.counts) as RunCounts),
  instance: r.instanceId,
});

export class Logs {
  constructor(
    private conn: Connection,
    private clients: Clients,
  ) {}

  /** Creating a log that exists already changes nothing (a retried create). */
  create(client: string, log: NewLog): void {
    this.clients.assertKnown(client);
    const { instance, ...header } = log;
    const row = { client, ...header, instanceId: instance ?? null, level: "info", entriesCount: 0, finishedAt: null, counts: null };
    this.conn.write(() => this.conn.db.insert(logs).values(row).onConflictDoNothing().run());
  }

  append(client: string, logId: string, entries: LogEntry[]): void {
    this.clients.assertKnown(client);
    this.conn.write(() => {
      const header = this.row(client, logId);
      if (!header) throw new DatabusError("DBUS_STO_LOG_NOT_FOUND", { client, id: logId });
      if (entries.length === 0) return;
      const rows = entries.map((e, i) => ({ client, logId, seq: header.entriesCount + i, at: e.at, level: e.level, source: e.source, message: e.message }));
      // A statement has a bounded number of parameters: insert long appends in slices.
      for (let i = 0; i < rows.length; i += 100) this.conn.db.insert(logEntries).values(rows.slice(i, i + 100)).run();
      const level = worstLevel(entries.map((e) => e.level), header.level as LogLevel);
      this.conn.db
        .update(logs)
        .set({ level, entriesCount: header.entriesCount + entries.length })
        .where(and(eq(logs.client, client), eq(logs.id, logId)))
        .run();
    });
  }

  finish(client: string, logId: string, finishedAt: string, counts: RunCounts): void {
    this.clients.assertKnown(client);
    const result = this.conn.write(() =>
      this.conn.db
        .update(logs)
        .set({ finishedAt, counts: JSON.stringify(counts) })
        .where(and(eq(logs.client, client), eq(logs.id, logId)))
        .run(),
    );
    if (result.changes === 0) throw new DatabusError("DBUS_STO_LOG_NOT_FOUND", { client, id: logId });
  }

  read(client: string, logId: string): Log | undefined {
    this.clients.assertKnown(client);
    return this.conn.guard(() => {
      const row = this.row(client, logId);
      if (!row) return undefined;
      const entries = this.conn.db
        .select({ at: logEntries.at, level: logEntries.level, source: logEntries.source, message: logEntries.message })
        .from(logEntries)
        .where(and(eq(logEntries.client, client), eq(logEntries.logId, logId)))
        .orderBy(asc(logEntries.seq))
        .all() as LogEntry[];
      return { ...headerOf(row), entries };
    });
  }

  list(client: string, filter: LogFilter, page: Page): { total: number; logs: LogHeader[] } {
    this.clients.assertKnown(client);
    const terms: SQL[] = [eq(logs.client, client)];
    if (filter.origin !== undefined) terms.push(eq(logs.origin, filter.origin));
    if (filter.definition !== undefined) terms.push(eq(logs.definition, filter.definition));
    if (filter.since !== undefined) terms.push(gte(logs.at, filter.since));
    if (filter.level !== undefined) terms.push(inArray(logs.level, LOG_LEVELS.filter((l) => isAtLeast(l, filter.level!))));
    const where = and(...terms);
    return this.conn.guard(() => {
      const total = this.conn.db.select({ n: count() }).from(logs).where(where).get()?.n ?? 0;
      if (page.offset >= total) return { total, logs: [] };
      const rows = this.conn.db.select().from(logs).where(where).orderBy(desc(logs.at), desc(logs.id)).limit(page.limit).offset(page.offset).all();
      return { total, logs: rows.map(headerOf) };
    });
  }

  /** Deletes logs that started before the cutoff (their entries cascade); returns how many. */
  purge(client: string, beforeIso: string): number {
    this.clients.assertKnown(client);
    return this.conn.write(() => this.conn.db.delete(logs).where(and(eq(logs.client, client), lt(logs.at, beforeIso))).run()).changes;
  }

  private row(client: string, logId: string): LogRow | undefined {
    return this.conn.db.select().from(logs).where(and(eq(logs.client, client), eq(logs.id, logId))).get();
  }
}
