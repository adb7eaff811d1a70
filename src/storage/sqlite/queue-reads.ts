/**
 * Reads of the queue: one entry, its passenger and attachments, pages of entries, counts and the due list.
 *
 * Tables: queue_entries, attachments. Inputs: client (checked by the caller; for one entry, only when
 * it is not found), entry id, filter, page. Outputs: QueueEntry / PassengerData / Attachment, or
 * undefined when not found. No errors of its own but storage failures.
 * Every list is an index range scan: queue_entries_seated / _state / _definition / _due (schema.ts).
 */
import { and, asc, count, desc, eq, isNotNull, lte, sql, type SQL } from "drizzle-orm";
import type { Attachment, AttachmentInfo, PassengerData } from "../../core/passenger";
import { ENTRY_STATES, type EntryState, type QueueEntry } from "../../core/queue-entry";
import type { EntryFilter, EntryPage, EntrySort, Page } from "../database";
import type { Connection } from "./connection";
import { countByState } from "./entry-counts";
import { toAttachment, toEntry, toPassenger, type AttachmentRow, type EntryRow } from "./entry-rows";
import type { RowCache } from "./row-cache";
import { attachments, queueEntries as q } from "./schema";

/**
 * The reads of one entry, run for every step a run records: raw SQL, its statements cached by
 * bun:sqlite. drizzle's builder cost more than SQLite's own work here (10,000 passengers: ~70,000
 * such reads). Same tables and columns as schema.ts, under the names drizzle gives them.
 *
 * The row brings its attachment list along (`infos`, JSON `[[position, name, media_type, size,
 * is_text], ...]`): a correlated subquery costs next to nothing, where a second query per entry was a
 * fifth of a sqlite run (and a LEFT JOIN three times the row's own read). The position travels with
 * each item because an aggregate's order is SQLite's choice.
 */
const ENTRY_ROW_SQL = `SELECT e.client, e.id, e.definition, e.external_id AS externalId, e.source_system AS sourceSystem,
  e.pulled_at AS pulledAt, e.puller, e.payload, e.log_ids AS logIds, e.steps, e.seated_at AS seatedAt, e.completed_at AS completedAt,
  e.state, e.due_at AS dueAt, e.search, e.instance_id AS instanceId,
  (SELECT json_group_array(json_array(a.position, a.name, a.media_type, a.size, a.is_text)) FROM attachments a
    WHERE a.client = e.client AND a.entry_id = e.id) AS infos
  FROM queue_entries e WHERE e.client = ? AND e.id = ?`;
const INFOS_MANY_SQL = `SELECT entry_id, name, media_type, size, is_text FROM attachments
  WHERE client = ? AND entry_id IN (SELECT value FROM json_each(?)) ORDER BY entry_id, position`;
const CONTENTS_SQL = `SELECT name, media_type AS mediaType, is_text AS isText, content FROM attachments WHERE client = ? AND entry_id = ? ORDER BY position`;

type InfoRow = { entry_id: string; name: string; media_type: string; size: number; is_text: number };
type ContentRow = { name: string; mediaType: string; isText: number; content: Uint8Array };
/** An entry's row as ENTRY_ROW_SQL reads it. */
export type StoredRow = EntryRow & { infos: string };

/** The attachment list a stored row carries, in position order. */
export function infosOf(row: StoredRow): AttachmentInfo[] {
  const items: Array<[number, string, string, number, number]> = JSON.parse(row.infos);
  if (items.length > 1) items.sort((a, b) => a[0] - b[0]);
  return items.map(([, name, media_type, size, isText]) => ({ name, media_type, size, text: isText !== 0 }));
}

/** The attachment list of rows about to be written, as ENTRY_ROW_SQL would read it back (`infos`). */
export function infosText(rows: readonly AttachmentRow[]): string {
  return JSON.stringify(rows.map((r) => [r.position, r.name, r.mediaType, r.size, r.isText ? 1 : 0]));
}

export class QueueReads {
  constructor(
    private conn: Connection,
    private rows: RowCache,
  ) {}

  /** The entry's row as stored (the queue's writes read it so, in their transaction). */
  entryRow(client: string, id: string): StoredRow | undefined {
    return this.conn.guard(() => this.conn.client.query<StoredRow, [string, string]>(ENTRY_ROW_SQL).get(client, id) ?? undefined);
  }

  /** The row this connection wrote last (row-cache.ts), else as stored: the pipeline reads what it just wrote. */
  private currentRow(client: string, id: string): StoredRow | undefined {
    return this.rows.peek(client, id) ?? this.entryRow(client, id);
  }

  /** Attachment lists (no contents) of these entries, by entry id, in their order. */
  infos(client: string, ids: readonly string[]): Map<string, AttachmentInfo[]> {
    const out = new Map<string, AttachmentInfo[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    // One statement for any number of ids (a JSON array bound as one value): drizzle's
    // `IN (?, ?, ...)` built a new statement for every list length.
    const rows = this.conn.guard(() => this.conn.client.query<InfoRow, [string, string]>(INFOS_MANY_SQL).all(client, JSON.stringify(ids)));
    for (const r of rows) out.get(r.entry_id)?.push({ name: r.name, media_type: r.media_type, size: r.size, text: r.is_text !== 0 });
    return out;
  }

  /** The entry, or undefined when the client has none with this id (the caller checks the client then). */
  getEntry(client: string, id: string): QueueEntry | undefined {
    const row = this.currentRow(client, id);
    return row && toEntry(row, infosOf(row));
  }

  /** The passenger with its attachments' contents, or undefined when the client has no such entry. */
  getPassenger(client: string, id: string): PassengerData | undefined {
    const row = this.currentRow(client, id);
    if (!row) return undefined;
    // Only an entry with attachments needs their contents read.
    const rows = row.infos === "[]" ? [] : this.conn.guard(() => this.conn.client.query<ContentRow, [string, string]>(CONTENTS_SQL).all(client, id));
    return toPassenger(toEntry(row, []), rows.map((r) => toAttachment({ ...r, isText: r.isText !== 0 })));
  }

  readAttachment(client: string, id: string, name: string): Attachment | undefined {
    const row = this.conn.guard(() =>
      this.conn.db
        .select()
        .from(attachments)
        .where(and(eq(attachments.client, client), eq(attachments.entryId, id), eq(attachments.name, name)))
        .get(),
    );
    return row && toAttachment(row);
  }

  listEntries(client: string, filter: EntryFilter, page: Page, sort: EntrySort = "-seated_at"): EntryPage {
    const where = and(...entryConditions(client, filter));
    const order = sort === "seated_at" ? [asc(q.seatedAt), asc(q.id)] : [desc(q.seatedAt), desc(q.id)];
    return this.conn.guard(() => {
      // Without a text filter the counts table knows the total; the text filter has to look.
      const total = filter.text
        ? (this.conn.db.select({ n: count() }).from(q).where(where).get()?.n ?? 0)
        : sumCounts(countByState(this.conn, client, filter.definition), filter.state);
      if (page.offset >= total) return { total, entries: [] };
      const rows = this.conn.db.select().from(q).where(where).orderBy(...order).limit(page.limit).offset(page.offset).all();
      const infos = this.infos(client, rows.map((r) => r.id));
      return { total, entries: rows.map((r) => toEntry(r, infos.get(r.id) ?? [])) };
    });
  }

  countEntries(client: string, definition?: string): Record<EntryState, number> {
    return countByState(this.conn, client, definition);
  }

  /** Oldest first; walks the partial index of entries that can be due and stops at the limit. */
  listDue(client: string, definition: string, nowIso: string, limit: number): string[] {
    return this.conn
      .guard(() =>
        this.conn.db
          .select({ id: q.id })
          .from(q)
          .where(and(eq(q.client, client), eq(q.definition, definition), isNotNull(q.dueAt), lte(q.dueAt, nowIso)))
          .orderBy(asc(q.seatedAt), asc(q.id))
          .limit(limit)
          .all(),
      )
      .map((r) => r.id);
  }
}

function sumCounts(counts: Record<EntryState, number>, state?: EntryState): number {
  return state === undefined ? ENTRY_STATES.reduce((n, s) => n + counts[s], 0) : counts[state];
}

/** WHERE terms of a list filter. The text filter is a case-insensitive substring of `search`. */
function entryConditions(client: string, filter: EntryFilter): SQL[] {
  const terms: SQL[] = [eq(q.client, client)];
  if (filter.definition !== undefined) terms.push(eq(q.definition, filter.definition));
  if (filter.state !== undefined) terms.push(eq(q.state, filter.state));
  const text = filter.text?.toLowerCase();
  if (text) terms.push(sql`instr(${q.search}, ${text}) > 0`);
  return terms;
}
