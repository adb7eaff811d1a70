/**
 * Reads of the queue: one entry, its passenger and attachments, pages of entries, counts and the due list.
 *
 * Tables: queue_entries, attachments. Inputs: client (checked by the caller), entry id, filter, page.
 * Outputs: QueueEntry / PassengerData / Attachment, or undefined. Errors: DBUS_Q_ENTRY_NOT_FOUND (getPassenger).
 * Every list is an index range scan: queue_entries_seated / _state / _definition / _due (schema.ts).
 */
import type { Statement } from "bun:sqlite";
import { and, asc, count, desc, eq, isNotNull, lte, sql, type SQL } from "drizzle-orm";
import { DatabusError } from "../../core/errors";
import type { Attachment, AttachmentInfo, PassengerData } from "../../core/passenger";
import { ENTRY_STATES, type EntryState, type QueueEntry } from "../../core/queue-entry";
import type { EntryFilter, EntryPage, EntrySort, Page } from "../database";
import type { Connection } from "./connection";
import { countByState } from "./entry-counts";
import { toAttachment, toEntry, toPassenger, type EntryRow } from "./entry-rows";
import { attachments, queueEntries as q } from "./schema";

/**
 * The reads of one entry, run for every step a run records: prepared once, as raw SQL. drizzle's
 * builder cost more than SQLite's own work here (10,000 passengers: ~70,000 such reads). Same tables
 * and columns as schema.ts, under the names drizzle gives them.
 */
const ENTRY_ROW_SQL = `SELECT client, id, definition, external_id AS externalId, source_system AS sourceSystem, pulled_at AS pulledAt,
  puller, payload, log_ids AS logIds, steps, seated_at AS seatedAt, completed_at AS completedAt, state, due_at AS dueAt,
  search, instance_id AS instanceId FROM queue_entries WHERE client = ? AND id = ?`;
const INFOS_SQL = `SELECT name, media_type, size, is_text FROM attachments WHERE client = ? AND entry_id = ? ORDER BY position`;
const INFOS_MANY_SQL = `SELECT entry_id, name, media_type, size, is_text FROM attachments
  WHERE client = ? AND entry_id IN (SELECT value FROM json_each(?)) ORDER BY entry_id, position`;
type InfoRow = { entry_id: string; name: string; media_type: string; size: number; is_text: number };
const CONTENTS_SQL = `SELECT name, media_type AS mediaType, is_text AS isText, content FROM attachments WHERE client = ? AND entry_id = ? ORDER BY position`;

export class QueueReads {
  private entryRowQuery: Statement<EntryRow, [string, string]> | undefined;
  private infosQuery: Statement<{ name: string; media_type: string; size: number; is_text: number }, [string, string]> | undefined;
  private contentsQuery: Statement<{ name: string; mediaType: string; isText: number; content: Uint8Array }, [string, string]> | undefined;

  constructor(private conn: Connection) {}

  entryRow(client: string, id: string): EntryRow | undefined {
    this.entryRowQuery ??= this.conn.client.prepare(ENTRY_ROW_SQL);
    return this.conn.guard(() => this.entryRowQuery!.get(client, id) ?? undefined);
  }

  /** Attachment lists (no contents) of these entries, by entry id, in their order. */
  infos(client: string, ids: readonly string[]): Map<string, AttachmentInfo[]> {
    const out = new Map<string, AttachmentInfo[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    if (ids.length === 1) {
      this.infosQuery ??= this.conn.client.prepare(INFOS_SQL);
      const rows = this.conn.guard(() => this.infosQuery!.all(client, ids[0]!));
      out.set(ids[0]!, rows.map((r) => ({ name: r.name, media_type: r.media_type, size: r.size, text: r.is_text !== 0 })));
      return out;
    }
    // One statement for any number of ids (a JSON array bound as one value), cached by bun:sqlite:
    // drizzle's `IN (?, ?, ...)` built a new statement for every list length.
    const rows = this.conn.guard(() => this.conn.client.query<InfoRow, [string, string]>(INFOS_MANY_SQL).all(client, JSON.stringify(ids)));
    for (const r of rows) out.get(r.entry_id)?.push({ name: r.name, media_type: r.media_type, size: r.size, text: r.is_text !== 0 });
    return out;
  }

  getEntry(client: string, id: string): QueueEntry | undefined {
    const row = this.entryRow(client, id);
    return row && toEntry(row, this.infos(client, [id]).get(id) ?? []);
  }

  getPassenger(client: string, id: string): PassengerData {
    const row = this.entryRow(client, id);
    if (!row) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
    this.contentsQuery ??= this.conn.client.prepare(CONTENTS_SQL);
    const rows = this.conn.guard(() => this.contentsQuery!.all(client, id));
    // The attachments come with their contents: the entry's attachment list would be a second read of the same rows.
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
