/** Rows ↔ domain records for the queue: the only place that knows how an entry is spread over tables. */
import type { Attachment, AttachmentInfo } from "../../core/passenger";
import { entryState, type QueueEntry } from "../../core/queue-entry";
import type { StepKind, StepState, StepStatus } from "../../core/step-status";
import type { attachments, queueEntries, stepStatuses } from "./schema";

type EntrySelect = typeof queueEntries.$inferSelect;
type StepSelect = typeof stepStatuses.$inferSelect;
type AttachmentSelect = typeof attachments.$inferSelect;
type AttachmentInfoRow = Pick<AttachmentSelect, "entryId" | "name" | "mediaType" | "size" | "isText">;

/** "" when a step is pending, else the earliest retry of a failed step, else null (never due). Dead entries are never due. */
export function dueOf(steps: readonly StepStatus[]): string | null {
  const state = entryState(steps);
  if (state === "dead" || state === "complete") return null;
  let due: string | null = null;
  for (const s of steps) {
    if (s.state === "pending") return "";
    if (s.state === "failed" && s.next_attempt_at !== null && (due === null || s.next_attempt_at < due)) due = s.next_attempt_at;
  }
  return due;
}

export function toEntryRow(client: string, e: QueueEntry, instanceId: string | null) {
  const p = e.passenger;
  return {
    client,
    id: p.id,
    definition: p.type,
    externalId: p.external_id,
    sourceSystem: p.source_system,
    pulledAt: p.pulled_at,
    puller: p.puller,
    payload: JSON.stringify(p.payload ?? null),
    logIds: JSON.stringify(p.log_ids),
    seatedAt: e.seated_at,
    completedAt: e.completed_at,
    state: entryState(e.steps),
    dueAt: dueOf(e.steps),
    instanceId,
  };
}

export function toStepRows(client: string, entryId: string, steps: StepStatus[], firstPosition = 0) {
  return steps.map((s, i) => ({
    client,
    entryId,
    position: firstPosition + i,
    kind: s.kind,
    name: s.name,
    state: s.state,
    attempts: s.attempts,
    lastError: s.last_error,
    nextAttemptAt: s.next_attempt_at,
    updatedAt: s.updated_at,
  }));
}

const toStep = (r: StepSelect): StepStatus => ({
  kind: r.kind as StepKind,
  name: r.name,
  state: r.state as StepState,
  attempts: r.attempts,
  last_error: r.lastError,
  next_attempt_at: r.nextAttemptAt,
  updated_at: r.updatedAt,
});

const toInfo = (r: AttachmentInfoRow): AttachmentInfo => ({ name: r.name, media_type: r.mediaType, size: r.size, text: Boolean(r.isText) });

export function toEntries(entries: EntrySelect[], steps: StepSelect[], infos: AttachmentInfoRow[]): QueueEntry[] {
  const stepsOf = group(steps, (s) => s.entryId);
  const infosOf = group(infos, (a) => a.entryId);
  return entries.map((r) => ({
    passenger: {
      id: r.id,
      type: r.definition,
      external_id: r.externalId,
      source_system: r.sourceSystem,
      pulled_at: r.pulledAt,
      puller: r.puller,
      payload: JSON.parse(r.payload),
      log_ids: JSON.parse(r.logIds) as string[],
    },
    attachments: (infosOf.get(r.id) ?? []).map(toInfo),
    steps: (stepsOf.get(r.id) ?? []).sort((a, b) => a.position - b.position).map(toStep),
    seated_at: r.seatedAt,
    completed_at: r.completedAt,
  }));
}

export function toAttachment(r: AttachmentSelect): Attachment {
  const bytes = r.content as unknown as Uint8Array;
  const content = r.isText ? Buffer.from(bytes).toString("utf8") : new Uint8Array(bytes);
  return { name: r.name, content, media_type: r.mediaType };
}

function group<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}
