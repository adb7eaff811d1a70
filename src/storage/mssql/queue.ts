/**
 * The queue on SQL Server: seat with dedupe, reads, step changes checked against the transition table
 * (core/step-status.ts) inside one transaction, passenger updates, deletes and purge in batches.
 */
import { iso, type Clock } from "../../core/clock";
import { DatabusError } from "../../core/errors";
import { byteLength, guessMediaType, type Attachment, type PassengerData } from "../../core/passenger";
import { ENTRY_STATES, entryState, type EntryState, type QueueEntry } from "../../core/queue-entry";
import { applyStepAction, type StepChange } from "../../core/step-status";
import type { EntryFilter, EntryPage, EntrySort, Page, SeatRequest, SeatResult, StepUpdate } from "../database";
import type { Sql } from "./connection";
import { dueOf, toAttachment, toEntries, toEntryRow, toStepRows } from "./rows";
import * as read from "./queries/entries";
import * as write from "./queries/queue";
import type { Session } from "./session";

const PURGE_BATCH = 500;

export class Queue {
  constructor(
    private session: Session,
    private clock: Clock,
    private instanceId: string | null,
  ) {}

  async seat(client: string, requests: SeatRequest[]): Promise<SeatResult> {
    await this.session.assertKnown(client);
    const now = iso(this.clock.now());
    const seen = new Set<string>();
    const result: SeatResult = { seated: [], duplicates: [] };
    await this.session.transaction(async (tx) => {
      for (const request of requests) {
        const key = JSON.stringify([request.passenger.source_system, request.passenger.external_id]);
        const entry = toNewEntry(request, now);
        const inserted = seen.has(key) ? [] : await this.insertEntry(tx, client, entry, request.passenger);
        seen.add(key);
        if (inserted.length === 0) result.duplicates.push(request);
        else result.seated.push(entry);
      }
    });
    return result;
  }

  private async insertEntry(tx: Sql, client: string, entry: QueueEntry, passenger: PassengerData): Promise<unknown[]> {
    const row = toEntryRow(client, entry, this.instanceId);
    const res = (await tx.execute(write.insertEntryUnlessDuplicate(tx, row))) as unknown as { recordset?: unknown[] };
    const inserted = res.recordset ?? [];
    if (inserted.length === 0) return inserted;
    if (entry.steps.length > 0) await write.insertSteps(tx, toStepRows(client, entry.passenger.id, entry.steps));
    await this.insertAttachments(tx, client, entry.passenger.id, passenger.attachments);
    return inserted;
  }

  private async insertAttachments(tx: Sql, client: string, id: string, attachments: Attachment[]): Promise<void> {
    // One statement per attachment: a big VARBINARY(MAX) parameter per row, never a huge batch.
    for (const [position, a] of attachments.entries()) {
      const bytes = typeof a.content === "string" ? Buffer.from(a.content, "utf8") : Buffer.from(a.content);
      await write.insertAttachments(tx, [
        { client, entryId: id, position, name: a.name, mediaType: a.media_type ?? guessMediaType(a.name, a.content), size: bytes.byteLength, isText: typeof a.content === "string", content: bytes },
      ]);
    }
  }

  async getEntry(client: string, id: string, db?: Sql): Promise<QueueEntry | undefined> {
    if (!db) await this.session.assertKnown(client);
    return (await this.loadEntries(client, [id], db))[0];
  }

  private async loadEntries(client: string, ids: string[], db?: Sql): Promise<QueueEntry[]> {
    if (ids.length === 0) return [];
    const load = async (d: Sql) => toEntries(await read.selectEntries(d, client, ids), await read.selectSteps(d, client, ids), await read.selectAttachmentInfos(d, client, ids));
    const byId = new Map((db ? await load(db) : await this.session.run(load)).map((e) => [e.passenger.id, e]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async getPassenger(client: string, id: string): Promise<PassengerData> {
    const entry = await this.getEntry(client, id);
    if (!entry) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
    const rows = await this.session.run((db) => read.selectAttachmentContents(db, client, id));
    return { ...entry.passenger, attachments: rows.map(toAttachment) };
  }

  async readAttachment(client: string, id: string, name: string): Promise<Attachment | undefined> {
    await this.session.assertKnown(client);
    const row = (await this.session.run((db) => read.selectAttachment(db, client, id, name)))[0];
    return row ? toAttachment(row) : undefined;
  }

  async listEntries(client: string, filter: EntryFilter, page: Page, sort: EntrySort = "-seated_at"): Promise<EntryPage> {
    await this.session.assertKnown(client);
    const { ids, total } = await this.session.run(async (db) => ({
      ids: (await read.selectEntryPage(db, client, filter, Math.max(0, page.offset), Math.max(0, page.limit), sort === "seated_at")).map((r) => r.id),
      total: (await read.countEntryPage(db, client, filter))[0]?.total ?? 0,
    }));
    return { total, entries: await this.loadEntries(client, ids) };
  }

  async countEntries(client: string, definition?: string): Promise<Record<EntryState, number>> {
    await this.session.assertKnown(client);
    const counts = Object.fromEntries(ENTRY_STATES.map((s) => [s, 0])) as Record<EntryState, number>;
    for (const r of await this.session.run((db) => read.countByState(db, client, definition))) counts[r.state as EntryState] = r.n;
    return counts;
  }

  async listDue(client: string, definition: string, nowIso: string, limit: number): Promise<string[]> {
    await this.session.assertKnown(client);
    if (limit <= 0) return [];
    return (await this.session.run((db) => read.selectDue(db, client, definition, nowIso, limit))).map((r) => r.id);
  }

  async updateStep(client: string, id: string, stepIndex: number, change: StepChange): Promise<QueueEntry> {
    await this.session.assertKnown(client);
    return this.session.transaction((tx) => this.applyStep(tx, client, id, stepIndex, change));
  }

  /**
   * One transaction per change (the step checked and locked first, then the passenger, then the
   * step), so a refused change writes nothing; each change fails on its own. Not one transaction for
   * the batch: a long one would hold the row locks of every entry in it.
   */
  async updateSteps(client: string, updates: StepUpdate[]): Promise<Array<QueueEntry | Error>> {
    await this.session.assertKnown(client);
    const results: Array<QueueEntry | Error> = [];
    for (const u of updates) {
      const one = this.session.transaction(async (tx) => {
        const passenger = u.passenger;
        const before = passenger && (() => this.applyPassenger(tx, client, u.id, passenger.payload, passenger.attachments));
        return this.applyStep(tx, client, u.id, u.stepIndex, u.change, before);
      });
      results.push(await one.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
    }
    return results;
  }

  /** `before` runs after the step is locked and its change checked, before the step is written. */
  private async applyStep(tx: Sql, client: string, id: string, stepIndex: number, change: StepChange, before?: () => Promise<void>): Promise<QueueEntry> {
    await read.lockEntry(tx, client, id); // the update lock: one writer per entry at a time
    const entry = await this.getEntry(client, id, tx);
    if (!entry) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
    const step = entry.steps[stepIndex];
    if (!step) throw new DatabusError("DBUS_Q_ACTION_NOT_ALLOWED", { id, state: `without a step ${stepIndex}`, action: change.action });
    const next = applyStepAction(step, change, id);
    await before?.();
    const moved = await write.updateStepIfState(tx, client, id, toStepRows(client, id, [next], stepIndex)[0]!, step.state);
    if (moved.length === 0) throw new DatabusError("DBUS_Q_ACTION_NOT_ALLOWED", { id, state: "changed meanwhile", action: change.action });
    const steps = entry.steps.map((s, i) => (i === stepIndex ? next : s));
    const state = entryState(steps);
    const completedAt = state === "complete" ? (entry.completed_at ?? change.at) : null;
    await write.updateEntrySummary(tx, client, id, { state, dueAt: dueOf(steps), completedAt, instanceId: this.instanceId });
    // After a passenger change its attachment list changed too: read the entry back.
    if (before) return (await this.getEntry(client, id, tx))!;
    return { ...entry, steps, completed_at: completedAt };
  }

  async updatePassenger(client: string, id: string, payload: unknown, attachments: Attachment[]): Promise<void> {
    await this.session.assertKnown(client);
    await this.session.transaction((tx) => this.applyPassenger(tx, client, id, payload, attachments));
  }

  private async applyPassenger(tx: Sql, client: string, id: string, payload: unknown, attachments: Attachment[]): Promise<void> {
    const found = await write.updatePayload(tx, client, id, JSON.stringify(payload ?? null));
    if (found.length === 0) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
    await write.deleteAttachments(tx, client, [id]);
    await this.insertAttachments(tx, client, id, attachments);
  }

  async linkLog(client: string, id: string, logId: string): Promise<void> {
    await this.session.assertKnown(client);
    const res = (await this.session.run((db) => db.execute(write.appendLogId(db, client, id, logId)))) as unknown as { recordset?: unknown[] };
    if ((res.recordset ?? []).length === 0) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
  }

  async deleteEntry(client: string, id: string): Promise<void> {
    await this.session.assertKnown(client);
    await this.session.transaction((tx) => this.deleteIds(tx, client, [id]));
  }

  async purgeCompleted(client: string, definition: string, beforeIso: string): Promise<number> {
    await this.session.assertKnown(client);
    let total = 0;
    for (;;) {
      const n = await this.session.transaction(async (tx) => {
        const ids = (await write.selectPurgeBatch(tx, client, definition, beforeIso, PURGE_BATCH)).map((r) => r.id);
        return ids.length === 0 ? 0 : this.deleteIds(tx, client, ids);
      });
      total += n;
      if (n < PURGE_BATCH) return total;
    }
  }

  private async deleteIds(tx: Sql, client: string, ids: string[]): Promise<number> {
    await write.deleteAttachments(tx, client, ids);
    await write.deleteSteps(tx, client, ids);
    return (await write.deleteEntries(tx, client, ids)).length;
  }
}

function toNewEntry(request: SeatRequest, now: string): QueueEntry {
  const { attachments, ...passenger } = request.passenger;
  const complete = entryState(request.steps) === "complete";
  return {
    passenger: { ...passenger, log_ids: [...passenger.log_ids] },
    attachments: attachments.map((a) => ({ name: a.name, media_type: a.media_type ?? guessMediaType(a.name, a.content), size: byteLength(a.content), text: typeof a.content === "string" })),
    steps: request.steps.map((s) => ({ ...s })),
    seated_at: request.seated_at ?? now,
    completed_at: request.completed_at !== undefined ? request.completed_at : complete ? now : null,
  };
}
