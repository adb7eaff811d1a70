/**
 * Logs on SQL Server: a header row per log (worst level and entry count kept up to date) and one row
 * per entry. Appends to one log serialise on the header row's update lock.
 */
import { DatabusError } from "../../core/errors";
import { LOG_LEVELS, isAtLeast, worstLevel, type Log, type LogEntry, type LogHeader, type LogLevel, type LogOrigin, type RunCounts } from "../../core/log";
import type { LogFilter, NewLog, Page } from "../database";
import { isDuplicateKey } from "./errors";
import * as q from "./queries/logs";
import type { Session } from "./session";

/** One INSERT may carry at most 2,100 parameters; an entry row has 7. */
const ENTRIES_PER_INSERT = 250;

export class Logs {
  constructor(private session: Session) {}

  /** Creating a log that exists already is a no-op (as in json/). */
  async create(client: string, log: NewLog): Promise<void> {
    await this.session.assertKnown(client);
    const row = { client, id: log.id, origin: log.origin, at: log.at, title: log.title, definition: log.definition, level: "info", entriesCount: 0, finishedAt: null, counts: null, instanceId: log.instance ?? null };
    try {
      await this.session.run((db) => q.insertLog(db, row));
    } catch (e) {
      if (!isDuplicateKey((e as { cause?: unknown }).cause ?? e)) throw e;
    }
  }

  async append(client: string, logId: string, entries: LogEntry[]): Promise<void> {
    await this.session.assertKnown(client);
    await this.session.transaction(async (tx) => {
      const header = (await q.selectLogForAppend(tx, client, logId))[0];
      if (!header) throw new DatabusError("DBUS_STO_LOG_NOT_FOUND", { client, id: logId });
      const first = header.entriesCount;
      const rows = entries.map((e, i) => ({ client, logId, seq: first + i, at: e.at, level: e.level, source: e.source, message: e.message }));
      for (let i = 0; i < rows.length; i += ENTRIES_PER_INSERT) await q.insertLogEntries(tx, rows.slice(i, i + ENTRIES_PER_INSERT));
      const level = worstLevel(entries.map((e) => e.level), header.level as LogLevel);
      await q.updateLogTotals(tx, client, logId, level, first + entries.length);
    });
  }

  async finish(client: string, logId: string, finishedAt: string, counts: RunCounts): Promise<void> {
    await this.session.assertKnown(client);
    const found = await this.session.run((db) => q.updateLogFinished(db, client, logId, finishedAt, JSON.stringify(counts)));
    if (found.length === 0) throw new DatabusError("DBUS_STO_LOG_NOT_FOUND", { client, id: logId });
  }

  async read(client: string, logId: string): Promise<Log | undefined> {
    await this.session.assertKnown(client);
    return this.session.run(async (db) => {
      const row = (await q.selectLog(db, client, logId))[0];
      if (!row) return undefined;
      const entries = (await q.selectLogEntries(db, client, logId)).map((e) => ({ at: e.at, level: e.level as LogLevel, source: e.source, message: e.message }));
      return { ...toHeader(row), entries };
    });
  }

  async list(client: string, filter: LogFilter, page: Page): Promise<{ total: number; logs: LogHeader[] }> {
    await this.session.assertKnown(client);
    const f: q.LogFilterSql = {
      origin: filter.origin,
      definition: filter.definition,
      since: filter.since,
      levels: filter.level === undefined ? undefined : LOG_LEVELS.filter((l) => isAtLeast(l, filter.level as LogLevel)),
    };
    return this.session.run(async (db) => ({
      total: (await q.countLogPage(db, client, f))[0]?.total ?? 0,
      logs: (await q.selectLogPage(db, client, f, Math.max(0, page.offset), Math.max(0, page.limit))).map(toHeader),
    }));
  }

  /** Deletes logs that started before the cutoff, with their entries; returns how many logs. */
  async purge(client: string, beforeIso: string): Promise<number> {
    await this.session.assertKnown(client);
    return this.session.transaction(async (tx) => {
      await tx.execute(q.purgeLogEntriesBefore(tx, client, beforeIso));
      return (await q.purgeLogsBefore(tx, client, beforeIso)).length;
    });
  }
}

function toHeader(r: typeof import("./schema").logs.$inferSelect): LogHeader {
  return {
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
  };
}
