/**
 * SQL that reads the queue: one entry, its steps and attachment list, pages with filters, counts, due ids.
 * Inputs: client id, filters, `offset … rows fetch next … rows only` paging. Outputs: rows as typed.
 * Result codes: none (missing rows are empty results; ../queue.ts raises DBUS_Q_ENTRY_NOT_FOUND).
 * Attachment lists never select `content`: contents are read one at a time by name.
 */
import { and, asc, count, desc, eq, inArray, lte, or, sql, type SQL } from "drizzle-orm";
import type { Sql } from "../connection";
import { attachments, queueEntries, stepStatuses } from "../schema";

export interface EntryFilterSql {
  definition?: string;
  state?: string;
  text?: string;
}

/** → full entry rows of the ids. */
export const selectEntries = (db: Sql, client: string, ids: string[]) =>
  db
    .select()
    .from(queueEntries)
    .where(and(eq(queueEntries.client, client), inArray(queueEntries.id, ids)));

/** → `{ id }[]`; holds an update lock on the entry until the transaction ends (one step writer at a time). */
export const lockEntry = (db: Sql, client: string, id: string) =>
  db
    // Fields as SQL: drizzle refuses table columns when FROM is raw SQL (here: the table with its hints).
    .select({ id: sql<string>`${queueEntries.id}` })
    .from(sql`${queueEntries} with (updlock, rowlock)`)
    .where(and(eq(queueEntries.client, client), eq(queueEntries.id, id)));

/** → step rows of the entries, in step order. */
export const selectSteps = (db: Sql, client: string, ids: string[]) =>
  db
    .select()
    .from(stepStatuses)
    .where(and(eq(stepStatuses.client, client), inArray(stepStatuses.entryId, ids)))
    .orderBy(stepStatuses.entryId, stepStatuses.position);

/** → attachment infos (no content) of the entries, in passenger order. */
export const selectAttachmentInfos = (db: Sql, client: string, ids: string[]) =>
  db
    .select({
      entryId: attachments.entryId,
      name: attachments.name,
      mediaType: attachments.mediaType,
      size: attachments.size,
      isText: attachments.isText,
    })
    .from(attachments)
    .where(and(eq(attachments.client, client), inArray(attachments.entryId, ids)))
    .orderBy(attachments.entryId, attachments.position);

/** → the attachments with content of one entry (for getPassenger), in passenger order. */
export const selectAttachmentContents = (db: Sql, client: string, id: string) =>
  db
    .select()
    .from(attachments)
    .where(and(eq(attachments.client, client), eq(attachments.entryId, id)))
    .orderBy(attachments.position);

/** → one attachment with content (0 or 1 row). */
export const selectAttachment = (db: Sql, client: string, id: string, name: string) =>
  db
    .select()
    .from(attachments)
    .where(and(eq(attachments.client, client), eq(attachments.entryId, id), eq(attachments.name, name)));

function filterWhere(client: string, filter: EntryFilterSql): SQL | undefined {
  const text = filter.text?.toLowerCase();
  // LIKE wildcards in the user's text are escaped, so `50%` finds "50%" and nothing else.
  const pattern = text === undefined || text === "" ? undefined : `%${text.replace(/[[%_]/g, (c) => `[${c}]`)}%`;
  return and(
    eq(queueEntries.client, client),
    filter.definition === undefined ? undefined : eq(queueEntries.definition, filter.definition),
    filter.state === undefined ? undefined : eq(queueEntries.state, filter.state),
    pattern === undefined
      ? undefined
      : or(sql`lower(${queueEntries.externalId}) like ${pattern}`, sql`lower(${queueEntries.sourceSystem}) like ${pattern}`),
  );
}

/** → `{ id }[]`: one page of ids, newest first unless `oldestFirst`; ties by id. */
export const selectEntryPage = (db: Sql, client: string, filter: EntryFilterSql, offset: number, limit: number, oldestFirst: boolean) =>
  db
    .select({ id: queueEntries.id })
    .from(queueEntries)
    .where(filterWhere(client, filter))
    .orderBy(...(oldestFirst ? [asc(queueEntries.seatedAt), asc(queueEntries.id)] : [desc(queueEntries.seatedAt), desc(queueEntries.id)]))
    .offset(offset)
    .fetch(limit);

/** → `{ total }[]` (one row) for the same filter. */
export const countEntryPage = (db: Sql, client: string, filter: EntryFilterSql) =>
  db.select({ total: count() }).from(queueEntries).where(filterWhere(client, filter));

/** → `{ state, n }[]`, one row per state present. */
export const countByState = (db: Sql, client: string, definition?: string) =>
  db
    .select({ state: queueEntries.state, n: count() })
    .from(queueEntries)
    .where(and(eq(queueEntries.client, client), definition === undefined ? undefined : eq(queueEntries.definition, definition)))
    .groupBy(queueEntries.state);

/** → `{ id }[]`: entries with a step due at `nowIso` (`due_at` ≤ now; "" means a pending step), oldest first. */
export const selectDue = (db: Sql, client: string, definition: string, nowIso: string, limit: number) =>
  db
    .select({ id: queueEntries.id })
    .from(queueEntries)
    .where(and(eq(queueEntries.client, client), eq(queueEntries.definition, definition), lte(queueEntries.dueAt, nowIso)))
    .orderBy(queueEntries.seatedAt, queueEntries.id)
    .offset(0)
    .fetch(limit);
