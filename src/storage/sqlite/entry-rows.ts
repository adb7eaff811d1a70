/**
 * How a queue entry maps to its rows: `queue_entries` (passenger fields, payload and log ids as JSON,
 * steps as one JSON column, plus the derived `state`, `due_at` and `search`) and `attachments`
 * (one row per attachment, content as a BLOB, text as UTF-8). Pure apart from the row types.
 */
import { DatabusError } from "../../core/errors";
import { isUuid } from "../../core/ids";
import { lazyField } from "../../core/lazy-field";
import { attachmentNameProblem, byteLength, guessMediaType, type Attachment, type AttachmentInfo, type PassengerData, type PassengerRecord } from "../../core/passenger";
import { entryState, type EntryState, type QueueEntry } from "../../core/queue-entry";
import type { StepStatus } from "../../core/step-status";
import type { SeatRequest } from "../database";
import type { attachments, queueEntries } from "./schema";

export type EntryRow = typeof queueEntries.$inferSelect;
export type AttachmentRow = typeof attachments.$inferInsert;

/** What the indexes keep of an entry's steps. Dead entries wait for a person, so they are never due. */
export function summariseSteps(steps: readonly StepStatus[]): { state: EntryState; dueAt: string | null } {
  const state = entryState(steps);
  if (state === "dead" || state === "complete") return { state, dueAt: null };
  let due: string | null = null;
  for (const s of steps) {
    if (s.state === "pending") return { state, dueAt: "" };
    if (s.state === "failed" && s.next_attempt_at !== null && (due === null || s.next_attempt_at < due)) due = s.next_attempt_at;
  }
  return { state, dueAt: due };
}

export const searchText = (externalId: string, sourceSystem: string): string => `${externalId}\n${sourceSystem}`.toLowerCase();

/** The entry row of a seat request (client and times given by the caller). */
export function entryRow(client: string, r: SeatRequest, seatedAt: string): EntryRow {
  const p = r.passenger;
  const steps = r.steps.map((s) => ({ ...s }));
  const { state, dueAt } = summariseSteps(steps);
  // An import passes the times the entry had; completed_at only means something on a complete entry.
  const at = r.seated_at ?? seatedAt;
  return {
    client,
    id: p.id,
    definition: p.type,
    externalId: p.external_id,
    sourceSystem: p.source_system,
    pulledAt: p.pulled_at,
    puller: p.puller,
    payload: JSON.stringify(p.payload ?? null),
    logIds: JSON.stringify(p.log_ids ?? []),
    steps: JSON.stringify(steps),
    seatedAt: at,
    completedAt: state === "complete" ? (r.completed_at ?? at) : null,
    state,
    dueAt,
    search: searchText(p.external_id, p.source_system),
    instanceId: null,
  };
}

export function attachmentRows(client: string, entryId: string, list: readonly Attachment[]): AttachmentRow[] {
  return list.map((a, position) => ({
    client,
    entryId,
    position,
    name: a.name,
    mediaType: a.media_type ?? guessMediaType(a.name, a.content),
    size: byteLength(a.content),
    isText: typeof a.content === "string",
    content: typeof a.content === "string" ? Buffer.from(a.content, "utf8") : Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
  }));
}

/** The attachment list item of a row about to be written. */
export const infoOf = (a: AttachmentRow): AttachmentInfo => ({ name: a.name, media_type: a.mediaType, size: a.size, text: a.isText });

/** `steps`: the row's steps when the caller has them parsed already (its own array, handed over). */
export function toEntry(row: EntryRow, infos: AttachmentInfo[], steps?: StepStatus[]): QueueEntry {
  const passenger = {
    id: row.id,
    type: row.definition,
    external_id: row.externalId,
    source_system: row.sourceSystem,
    pulled_at: row.pulledAt,
    puller: row.puller,
  } as PassengerRecord;
  // Parsed when read: the dispatcher reads the steps of most entries handed to it, the payload of few.
  lazyField(passenger, "payload", () => JSON.parse(row.payload));
  passenger.log_ids = JSON.parse(row.logIds);
  return {
    passenger,
    attachments: infos,
    steps: steps ?? JSON.parse(row.steps),
    seated_at: row.seatedAt,
    completed_at: row.completedAt,
  };
}

export function toAttachment(row: { name: string; mediaType: string; isText: boolean; content: Uint8Array }): Attachment {
  const bytes = new Uint8Array(row.content);
  return { name: row.name, content: row.isText ? new TextDecoder().decode(bytes) : bytes, media_type: row.mediaType };
}

export function toPassenger(entry: QueueEntry, list: Attachment[]): PassengerData {
  return { ...entry.passenger, attachments: list };
}

/** Refuses the whole call before writing anything when one passenger cannot be stored. */
export function checkSeatable({ passenger: p }: SeatRequest): void {
  const bad = (problem: string) => new DatabusError("DBUS_RUN_BAD_PASSENGER", { name: p.puller, problem });
  if (typeof p.id !== "string" || !isUuid(p.id)) throw bad(`its id ${JSON.stringify(p.id)} is not a UUID`);
  if (typeof p.external_id !== "string" || typeof p.source_system !== "string") throw bad("it has no external_id or source_system");
  checkAttachmentNames(p.attachments ?? [], bad);
}

export function checkAttachmentNames(list: readonly Attachment[], bad: (problem: string) => Error): void {
  const names = new Set<string>();
  for (const a of list) {
    const problem = attachmentNameProblem(a.name);
    if (problem) throw bad(`an attachment ${problem}`);
    if (names.has(a.name)) throw bad(`two attachments are called ${JSON.stringify(a.name)}`);
    names.add(a.name);
  }
}
