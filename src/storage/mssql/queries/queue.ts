/**
 * SQL that changes the queue: seat (with dedupe), steps, passenger, log links, delete, purge.
 * Inputs: client id, entry id, rows built by ../queue.ts. Outputs: `output inserted/deleted` rows.
 * Result codes: an empty `output` means "not seated: duplicate" (seat) or "moved meanwhile" (step update,
 * → DBUS_Q_ACTION_NOT_ALLOWED in ../queue.ts). Native failures are mapped by ../errors.ts.
 */
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Sql } from "../connection";
import { attachments, queueEntries, stepStatuses } from "../schema";

export type EntryRow = typeof queueEntries.$inferInsert;
export type StepRow = typeof stepStatuses.$inferInsert;
export type AttachmentRow = typeof attachments.$inferInsert;

/**
 * Inserts the entry unless the client's queue already holds its `(source_system, external_id)`.
 * `updlock, holdlock` keeps the key range locked until the transaction ends, so two instances seating
 * the same item at once cannot both pass the check. → `{ id }[]`: one row when seated, none when a duplicate.
 */
export const insertEntryUnlessDuplicate = (_db: Sql, row: Required<Omit<EntryRow, "instanceId">> & { instanceId: string | null }) => sql`
insert into ${queueEntries} ([client], [id], [definition], [external_id], [source_system], [pulled_at], [puller], [payload], [log_ids], [seated_at], [completed_at], [state], [due_at], [instance_id])
output inserted.[id]
select ${row.client}, ${row.id}, ${row.definition}, ${row.externalId}, ${row.sourceSystem}, ${row.pulledAt}, ${row.puller}, ${row.payload}, ${row.logIds}, ${row.seatedAt}, ${row.completedAt}, ${row.state}, ${row.dueAt}, ${row.instanceId}
where not exists (
  select 1 from ${queueEntries} with (updlock, holdlock)
  where [client] = ${row.client} and [source_system] = ${row.sourceSystem} and [external_id] = ${row.externalId}
)`;

export const insertSteps = (db: Sql, rows: StepRow[]) => db.insert(stepStatuses).values(rows);

export const insertAttachments = (db: Sql, rows: AttachmentRow[]) => db.insert(attachments).values(rows);

/**
 * Moves one step from the state it was read in to its new state. The `state = expected` check is the
 * precondition: → `{ position }[]`, empty when the step moved meanwhile.
 */
export const updateStepIfState = (db: Sql, client: string, id: string, step: StepRow, expected: string) =>
  db
    .update(stepStatuses)
    .set({ state: step.state, attempts: step.attempts, lastError: step.lastError, nextAttemptAt: step.nextAttemptAt, updatedAt: step.updatedAt })
    .output({ inserted: { position: stepStatuses.position } })
    .where(
      and(
        eq(stepStatuses.client, client),
        eq(stepStatuses.entryId, id),
        eq(stepStatuses.position, step.position),
        eq(stepStatuses.state, expected),
      ),
    );

/** The entry's derived columns after a step change. */
export const updateEntrySummary = (
  db: Sql,
  client: string,
  id: string,
  summary: { state: string; dueAt: string | null; completedAt: string | null; instanceId: string | null },
) => db.update(queueEntries).set(summary).where(and(eq(queueEntries.client, client), eq(queueEntries.id, id)));

/** → `{ id }[]`: one row when the entry exists. */
export const updatePayload = (db: Sql, client: string, id: string, payload: string) =>
  db
    .update(queueEntries)
    .set({ payload })
    .output({ inserted: { id: queueEntries.id } })
    .where(and(eq(queueEntries.client, client), eq(queueEntries.id, id)));

export const deleteAttachments = (db: Sql, client: string, ids: string[]) =>
  db.delete(attachments).where(and(eq(attachments.client, client), inArray(attachments.entryId, ids)));

export const deleteSteps = (db: Sql, client: string, ids: string[]) =>
  db.delete(stepStatuses).where(and(eq(stepStatuses.client, client), inArray(stepStatuses.entryId, ids)));

/** → `{ id }[]` of the entries deleted. */
export const deleteEntries = (db: Sql, client: string, ids: string[]) =>
  db
    .delete(queueEntries)
    .output({ id: queueEntries.id })
    .where(and(eq(queueEntries.client, client), inArray(queueEntries.id, ids)));

/** Adds a log id to `log_ids` (a JSON array) unless it is there; → `{ id }[]`, empty when no entry. */
export const appendLogId = (_db: Sql, client: string, id: string, logId: string) => sql`
update ${queueEntries}
set [log_ids] = case
  when exists (select 1 from openjson([log_ids]) where [value] = ${logId}) then [log_ids]
  else json_modify([log_ids], 'append $', ${logId})
end
output inserted.[id]
where [client] = ${client} and [id] = ${id}`;

/**
 * Ids of complete entries of a definition completed before the cutoff, at most `batch` of them, so one
 * purge never holds locks on the whole table. → `{ id }[]`.
 */
export const selectPurgeBatch = (db: Sql, client: string, definition: string, beforeIso: string, batch: number) =>
  db
    .select({ id: queueEntries.id })
    .from(queueEntries)
    .where(
      and(
        eq(queueEntries.client, client),
        eq(queueEntries.definition, definition),
        eq(queueEntries.state, "complete"),
        lt(queueEntries.completedAt, beforeIso),
      ),
    )
    .orderBy(queueEntries.completedAt, queueEntries.id)
    .offset(0)
    .fetch(batch);
