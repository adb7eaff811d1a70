/**
 * SQL for logs and their entries: create, append, finish, read, list with paging, purge by age.
 * Inputs: client id, log id, entries, filters. Outputs: rows as typed; writes return `output` rows.
 * Result codes: an empty `output` on append/finish means "no such log" (→ DBUS_STO_LOG_NOT_FOUND in ../logs.ts).
 */
import { and, count, desc, eq, gte, inArray, lt, max, sql } from "drizzle-orm";
import type { Sql } from "../connection";
import { logEntries, logs } from "../schema";

export type LogRow = typeof logs.$inferInsert;
export type LogEntryRow = typeof logEntries.$inferInsert;

export interface LogFilterSql {
  origin?: string;
  definition?: string;
  since?: string;
  /** Levels at or above the wanted one. */
  levels?: string[];
}

export const insertLog = (db: Sql, row: LogRow) => db.insert(logs).values(row);

/** → `{ level, entriesCount }[]` (0 or 1 row), locked until the transaction ends so appends serialise. */
export const selectLogForAppend = (db: Sql, client: string, id: string) =>
  db
    .select({ level: sql<string>`${logs.level}`, entriesCount: sql<number>`${logs.entriesCount}` })
    .from(sql`${logs} with (updlock, rowlock)`)
    .where(and(eq(logs.client, client), eq(logs.id, id)));

export const insertLogEntries = (db: Sql, rows: LogEntryRow[]) => db.insert(logEntries).values(rows);

export const updateLogTotals = (db: Sql, client: string, id: string, level: string, entriesCount: number) =>
  db.update(logs).set({ level, entriesCount }).where(and(eq(logs.client, client), eq(logs.id, id)));

/** → `{ id }[]`, empty when there is no such log. */
export const updateLogFinished = (db: Sql, client: string, id: string, finishedAt: string, counts: string) =>
  db
    .update(logs)
    .set({ finishedAt, counts })
    .output({ inserted: { id: logs.id } })
    .where(and(eq(logs.client, client), eq(logs.id, id)));

/** → full log rows (0 or 1). */
export const selectLog = (db: Sql, client: string, id: string) =>
  db.select().from(logs).where(and(eq(logs.client, client), eq(logs.id, id)));

/** → entry rows in the order they were appended. */
export const selectLogEntries = (db: Sql, client: string, id: string) =>
  db.select().from(logEntries).where(and(eq(logEntries.client, client), eq(logEntries.logId, id))).orderBy(logEntries.seq);

function filterWhere(client: string, f: LogFilterSql) {
  return and(
    eq(logs.client, client),
    f.origin === undefined ? undefined : eq(logs.origin, f.origin),
    f.definition === undefined ? undefined : eq(logs.definition, f.definition),
    f.since === undefined ? undefined : gte(logs.at, f.since),
    f.levels === undefined ? undefined : inArray(logs.level, f.levels),
  );
}

/** → log rows of one page, newest first (ties by id). */
export const selectLogPage = (db: Sql, client: string, f: LogFilterSql, offset: number, limit: number) =>
  db
    .select()
    .from(logs)
    .where(filterWhere(client, f))
    .orderBy(desc(logs.at), desc(logs.id))
    .offset(offset)
    .fetch(limit);

/** → `{ total }[]` (one row). */
export const countLogPage = (db: Sql, client: string, f: LogFilterSql) => db.select({ total: count() }).from(logs).where(filterWhere(client, f));

/** Entries of logs that started before the cutoff; run before purgeLogsBefore in one transaction. */
export const purgeLogEntriesBefore = (_db: Sql, client: string, beforeIso: string) => sql`
delete e from ${logEntries} as e
inner join ${logs} as l on l.[client] = e.[client] and l.[id] = e.[log_id]
where l.[client] = ${client} and l.[at] < ${beforeIso}`;

/** → `{ id }[]` of the logs deleted. */
export const purgeLogsBefore = (db: Sql, client: string, beforeIso: string) =>
  db
    .delete(logs)
    .output({ id: logs.id })
    .where(and(eq(logs.client, client), lt(logs.at, beforeIso)));

/** → `{ last }[]`: the highest entry number of a log (null when it has none). */
export const selectLastSeq = (db: Sql, client: string, id: string) =>
  db.select({ last: max(logEntries.seq) }).from(logEntries).where(and(eq(logEntries.client, client), eq(logEntries.logId, id)));
