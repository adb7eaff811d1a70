/**
 * Writes to the queue: seat with dedupe, step changes (checked against core/step-status.ts),
 * passenger changes, log links, delete and purge. Each is one IMMEDIATE transaction.
 *
 * Tables: queue_entries, attachments. Inputs: client (checked here), seat requests, entry id, step change.
 * Errors: DBUS_Q_ENTRY_NOT_FOUND, DBUS_Q_ACTION_NOT_ALLOWED (the step moved meanwhile, or no such step),
 * DBUS_RUN_BAD_PASSENGER (refused before writing), DBUS_STO_DISK_FULL. A dedupe-index conflict inside
 * seat is a duplicate, not an error.
 */
import { and, eq, isNotNull, lt, type SQL } from "drizzle-orm";
import { iso, type Clock } from "../../core/clock";
import { DatabusError } from "../../core/errors";
import type { Attachment } from "../../core/passenger";
import type { QueueEntry } from "../../core/queue-entry";
import { applyStepAction, type StepChange, type StepStatus } from "../../core/step-status";
import type { SeatRequest, SeatResult, StepUpdate } from "../database";
import type { Clients } from "./clients";
import type { Connection } from "./connection";
import { CountDelta } from "./entry-counts";
import { attachmentRows, checkAttachmentNames, checkSeatable, entryRow, infoOf, summariseSteps, toEntry, type AttachmentRow, type EntryRow } from "./entry-rows";
import { infosOf, infosText, type QueueReads, type StoredRow } from "./queue-reads";
import type { RowCache } from "./row-cache";
import { queueEntries as q } from "./schema";

type NewPassenger = NonNullable<StepUpdate["passenger"]>;

const keyOf = (source: string, external: string): string => `${source}\u0000${external}`;

export class Queue {
  /** `rows`: every write below goes through it (row-cache.ts says why and how). */
  constructor(
    private conn: Connection,
    private clock: Clock,
    private clients: Clients,
    private reads: QueueReads,
    private rows: RowCache,
  ) {}

  /** For writes the queue does not make itself (a client's deletion cascades to its entries). */
  forgetRows(): void {
    this.rows.clear();
  }

  seat(client: string, requests: SeatRequest[]): SeatResult {
    this.clients.assertKnown(client);
    requests.forEach(checkSeatable);
    const seatedAt = iso(this.clock.now());
    return this.rows.write(() => {
      const seated: QueueEntry[] = [];
      const duplicates: SeatRequest[] = [];
      const keys = new Set<string>();
      const delta = new CountDelta();
      for (const r of requests) {
        const key = keyOf(r.passenger.source_system, r.passenger.external_id);
        const row = entryRow(client, r, seatedAt);
        // The dedupe index (and the primary key) turn a repeat into "no row inserted".
        const inserted = !keys.has(key) && this.insertEntry(row) === 1;
        if (!inserted) {
          duplicates.push(r);
          continue;
        }
        keys.add(key);
        delta.add(row.definition, row.state, 1);
        const rows = attachmentRows(client, row.id, r.passenger.attachments ?? []);
        this.insertAttachments(rows);
        this.rows.keep(client, row.id, { ...row, infos: infosText(rows) });
        seated.push(toEntry(row, rows.map(infoOf)));
      }
      delta.apply(this.conn, client);
      return { seated, duplicates };
    });
  }

  /**
   * The hot statement of a seat, as raw SQL like every per-passenger write here: drizzle's builder
   * costs more than SQLite's insert. Same table and columns as schema.ts; returns 1 when inserted,
   * 0 for a dedupe conflict.
   */
  private insertEntry(r: EntryRow): number {
    const insert = this.conn.client.query(
      `INSERT INTO queue_entries (client, id, definition, external_id, source_system, pulled_at, puller, payload, log_ids, steps,
         seated_at, completed_at, state, due_at, search, instance_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    return insert.run(r.client, r.id, r.definition, r.externalId, r.sourceSystem, r.pulledAt, r.puller, r.payload, r.logIds, r.steps,
      r.seatedAt, r.completedAt, r.state, r.dueAt, r.search, r.instanceId).changes;
  }

  updateStep(client: string, id: string, stepIndex: number, change: StepChange): QueueEntry {
    this.clients.assertKnown(client);
    return this.rows.write(() => {
      const delta = new CountDelta();
      const entry = this.applyStep(client, id, stepIndex, change, delta);
      delta.apply(this.conn, client);
      return entry;
    });
  }

  /**
   * Every change in one transaction (one commit, one fsync). A change the step table refuses, or to
   * an entry that is gone, fails alone (its passenger change with it); a storage failure rolls back
   * and fails them all.
   */
  updateSteps(client: string, updates: StepUpdate[]): Array<QueueEntry | Error> {
    this.clients.assertKnown(client);
    try {
      return this.rows.write(() => {
        // The counts change once for the whole batch; a change that fails adds nothing to them.
        const delta = new CountDelta();
        // A savepoint around a change with a passenger: a refused step change undoes its passenger
        // change, and only that. A step change alone writes only after every check, so it needs none
        // (a savepoint per change cost more than the change).
        const withPassenger = this.conn.client.transaction((u: StepUpdate, passenger: NewPassenger) => {
          checkAttachmentNames(passenger.attachments, (problem) => new DatabusError("DBUS_RUN_BAD_PASSENGER", { name: u.id, problem }));
          return this.applyStep(client, u.id, u.stepIndex, u.change, delta, passenger);
        });
        const results = updates.map((u) => {
          try {
            return u.passenger ? withPassenger(u, u.passenger) : this.applyStep(client, u.id, u.stepIndex, u.change, delta);
          } catch (e) {
            // The savepoint undid the passenger change in the file: the row it kept goes too.
            this.rows.keep(client, u.id, undefined);
            if (e instanceof DatabusError && (e.code.startsWith("DBUS_Q_") || e.code === "DBUS_RUN_BAD_PASSENGER")) return e;
            throw e;
          }
        });
        delta.apply(this.conn, client);
        return results;
      });
    } catch (e) {
      return updates.map(() => (e instanceof Error ? e : new Error(String(e))));
    }
  }

  /**
   * One step change inside the caller's transaction, with the processor's new passenger if given
   * (names already checked): one UPDATE of the row for both. A change of the entry's state goes into
   * `delta` (written by the caller).
   */
  private applyStep(client: string, id: string, stepIndex: number, change: StepChange, delta: CountDelta, passenger?: NewPassenger): QueueEntry {
    const row = this.rows.get(client, id) ?? this.reads.entryRow(client, id);
    if (!row) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
    const steps: StepStatus[] = JSON.parse(row.steps);
    const step = steps[stepIndex];
    if (!step)
      throw new DatabusError("DBUS_Q_ACTION_NOT_ALLOWED", { id, state: `without a step number ${stepIndex}`, action: "changed there" });
    steps[stepIndex] = applyStepAction(step, change, id);
    const { state, dueAt } = summariseSteps(steps);
    const completedAt = state === "complete" ? (row.completedAt ?? change.at) : null;
    const set = { steps: JSON.stringify(steps), state, dueAt, completedAt };
    const next = passenger ? this.replaceAttachments(client, row, passenger.attachments) : undefined;
    const payload = passenger ? JSON.stringify(passenger.payload ?? null) : row.payload;
    // SQLite rewrites every index on a column an UPDATE sets (four here: state, definition, due,
    // completed), changed or not; most step changes leave the entry's state and due time as they were.
    const sameState = state === row.state && dueAt === row.dueAt && completedAt === row.completedAt;
    const columns = `steps = ?${passenger ? ", payload = ?" : ""}${sameState ? "" : ", state = ?, due_at = ?, completed_at = ?"}`;
    const values = [set.steps, ...(passenger ? [payload] : []), ...(sameState ? [] : [state, dueAt, completedAt]), client, id];
    this.conn.client.query(`UPDATE queue_entries SET ${columns} WHERE client = ? AND id = ?`).run(...values);
    if (state !== row.state) {
      delta.add(row.definition, row.state, -1);
      delta.add(row.definition, state, 1);
    }
    const changed = { ...row, ...set, payload, infos: next ? infosText(next) : row.infos };
    this.rows.keep(client, id, changed);
    return toEntry(changed, next ? next.map(infoOf) : infosOf(row), steps);
  }

  /** The entry's attachments replaced by `list` (names already checked); returns the rows written. */
  private replaceAttachments(client: string, row: StoredRow, list: Attachment[]): AttachmentRow[] {
    // An entry without attachments has none to delete (the row's list says so).
    if (row.infos !== "[]") this.conn.client.query("DELETE FROM attachments WHERE client = ? AND entry_id = ?").run(client, row.id);
    const rows = attachmentRows(client, row.id, list);
    this.insertAttachments(rows);
    return rows;
  }

  updatePassenger(client: string, id: string, payload: unknown, list: Attachment[]): void {
    this.clients.assertKnown(client);
    checkAttachmentNames(list, (problem) => new DatabusError("DBUS_RUN_BAD_PASSENGER", { name: id, problem }));
    this.rows.write(() => this.applyPassenger(client, id, payload, list));
  }

  /** Payload and attachments replaced inside the caller's transaction (names already checked). */
  private applyPassenger(client: string, id: string, payload: unknown, list: Attachment[]): void {
    const row = this.rows.get(client, id) ?? this.reads.entryRow(client, id);
    if (!row) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
    const text = JSON.stringify(payload ?? null);
    this.conn.client.query("UPDATE queue_entries SET payload = ? WHERE client = ? AND id = ?").run(text, client, id);
    const rows = this.replaceAttachments(client, row, list);
    this.rows.keep(client, id, { ...row, payload: text, infos: infosText(rows) });
  }

  /**
   * Raw SQL through bun:sqlite's statement cache, like every per-passenger write here: a processor's
   * change runs these for each passenger, and drizzle's builders cost more than the writes.
   */
  private insertAttachments(rows: AttachmentRow[]): void {
    if (rows.length === 0) return;
    const insert = this.conn.client.query(
      "INSERT INTO attachments (client, entry_id, position, name, media_type, size, is_text, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (const r of rows) insert.run(r.client, r.entryId, r.position, r.name, r.mediaType, r.size, r.isText ? 1 : 0, r.content);
  }

  linkLog(client: string, id: string, logId: string): void {
    this.clients.assertKnown(client);
    this.rows.write(() => {
      const row = this.reads.entryRow(client, id);
      if (!row) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
      this.rows.keep(client, id, undefined);
      const logIds: string[] = JSON.parse(row.logIds);
      if (logIds.includes(logId)) return;
      this.conn.db.update(q).set({ logIds: JSON.stringify([...logIds, logId]) }).where(and(eq(q.client, client), eq(q.id, id))).run();
    });
  }

  /** Deleting an entry that is not there is not an error (bulk deletes race with purge). Attachments cascade. */
  deleteEntry(client: string, id: string): void {
    this.clients.assertKnown(client);
    this.rows.write(() => {
      this.rows.keep(client, id, undefined);
      this.deleteWhere(client, and(eq(q.client, client), eq(q.id, id)));
    });
  }

  purgeCompleted(client: string, definition: string, beforeIso: string): number {
    this.clients.assertKnown(client);
    const where = and(eq(q.client, client), eq(q.definition, definition), isNotNull(q.completedAt), lt(q.completedAt, beforeIso));
    // Only complete entries go, and the cache keeps none (nothing is due on them).
    return this.rows.write(() => this.deleteWhere(client, where));
  }

  /** Deletes entries (attachments cascade) and takes them off the counts; returns how many. */
  private deleteWhere(client: string, where: SQL | undefined): number {
    const gone = this.conn.db.delete(q).where(where).returning({ definition: q.definition, state: q.state }).all();
    const delta = new CountDelta();
    for (const g of gone) delta.add(g.definition, g.state, -1);
    delta.apply(this.conn, client);
    return gone.length;
  }
}
