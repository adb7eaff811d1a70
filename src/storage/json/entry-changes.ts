/**
 * How the queue's changes turn an entry into its next version, in memory: step changes (the step
 * table decides), a processor's new payload and attachments, and the entry values handed to callers.
 * Pure: Queue (queue.ts) reads, locks and commits; this decides what the next version is.
 */
import { DatabusError } from "../../core/errors";
import { isUuid } from "../../core/ids";
import { lazyField } from "../../core/lazy-field";
import { attachmentNameProblem, type Attachment, type AttachmentInfo, type PassengerRecord } from "../../core/passenger";
import { entryState, type QueueEntry } from "../../core/queue-entry";
import { applyStepAction, type StepChange } from "../../core/step-status";
import type { SeatRequest, StepUpdate } from "../database";
import { metaOf, toMeta, type CachedEntry, type PassengerMeta } from "./entry-cache";
import { passengerRecord, replaceAttachmentsOps, statusOp, storedPassenger, type StoredPassenger, type StoredStatus } from "./entry-files";
import { JsonText, type JournalOp } from "./journal-ops";
import type { Layout } from "./layout";

/** The status after one step change; raises DBUS_Q_ACTION_NOT_ALLOWED as the step table says. */
export function nextStatus(status: StoredStatus, id: string, stepIndex: number, change: StepChange): StoredStatus {
  const step = status.steps[stepIndex];
  if (!step) throw new DatabusError("DBUS_Q_ACTION_NOT_ALLOWED", { id, state: `without a step number ${stepIndex}`, action: "changed there" });
  const steps = status.steps.map((s, i) => (i === stepIndex ? applyStepAction(step, change, id) : s));
  const complete = entryState(steps) === "complete";
  return { ...status, steps, completed_at: complete ? (status.completed_at ?? change.at) : null };
}

/** Raises DBUS_RUN_BAD_PASSENGER for an attachment whose name cannot be a file name. */
export function checkAttachmentNames(attachments: readonly Attachment[]): void {
  for (const a of attachments) {
    const problem = attachmentNameProblem(a.name);
    if (problem) throw new DatabusError("DBUS_RUN_BAD_PASSENGER", { name: a.name, problem: `an attachment ${problem}` });
  }
}

/**
 * The passenger after a processor replaced its payload and attachments, as compact text (what the
 * entry cache keeps, and what the journal op carries: the caller goes on using its payload) and its
 * fields besides the payload (fresh copies: storedPassenger copies them).
 */
export function nextPassenger(meta: PassengerMeta, payload: unknown, attachments: Attachment[]): { meta: PassengerMeta; text: string } {
  const stored = storedPassenger({ ...meta, payload, attachments });
  return { meta: toMeta(stored), text: JSON.stringify(stored) };
}

/**
 * One entry's changes within one `updateSteps` call: each update applies to the version the previous
 * one left, and all of them become one journal record (the entry's files are written once).
 */
export class EntryVersion {
  /** The entry as the updates so far leave it: what the entry cache holds once the record is durable. */
  private current: CachedEntry;
  /** Set once an update replaced the passenger: the new one (its text), its attachment contents, and which of them the entry's files hold already. */
  private replaced: { text: string; attachments: Attachment[]; unchanged: ReadonlySet<string> } | undefined;

  constructor(
    readonly id: string,
    private readonly original: CachedEntry,
  ) {
    this.current = original;
  }

  /**
   * Applies one update (both its parts or neither); returns the entry as it leaves it. Throws the
   * update's own error. `unchanged`: attachments of the update with the content the entry had before
   * this call (Queue compares them), not written again.
   */
  apply(u: StepUpdate, unchanged: ReadonlySet<string> = new Set()): QueueEntry {
    let passenger: { meta: PassengerMeta; text: string } | undefined;
    if (u.passenger) {
      checkAttachmentNames(u.passenger.attachments);
      passenger = nextPassenger(metaOf(this.current), u.passenger.payload, u.passenger.attachments);
    }
    const status = nextStatus(this.current.status, this.id, u.stepIndex, u.change);
    if (passenger && u.passenger) {
      this.current = { passengerText: passenger.text, status, meta: passenger.meta };
      this.replaced = { text: passenger.text, attachments: u.passenger.attachments, unchanged };
    } else this.current = { passengerText: this.current.passengerText, status, meta: this.current.meta };
    return lazyEntry(this.current, copyStatus(status));
  }

  get changed(): boolean {
    return this.current !== this.original;
  }

  get cached(): CachedEntry {
    return this.current;
  }

  /** The record's ops: the passenger and its attachments first (when replaced), then the status. */
  ops(layout: Layout, client: string): JournalOp[] {
    const status = statusOp(layout, client, this.id, this.current.status);
    if (!this.replaced) return [status];
    const before = metaOf(this.original).attachments;
    const next = new JsonText(this.replaced.text);
    return [...replaceAttachmentsOps(layout, client, this.id, next, before, this.replaced.attachments, this.replaced.unchanged), status];
  }
}

/** A step status holds only strings, numbers and null: a copy of each is a deep copy (structuredClone costs 10× more). */
export const copyStatus = (s: StoredStatus): StoredStatus => ({ ...s, steps: s.steps.map((step) => ({ ...step })) });

/**
 * The entry as its own copy, made on first use: the dispatcher records thousands of step changes a
 * second and reads only the steps and the passenger's id of what updateStep returns. The passenger's
 * fields come from the cached meta; its payload is parsed from the text when first read (parsing a
 * 1 KB passenger at every step was a tenth of the run's main-thread time).
 */
export function lazyEntry(cached: CachedEntry, s: StoredStatus): QueueEntry {
  let record: PassengerRecord | undefined;
  let attachments: AttachmentInfo[] | undefined;
  return {
    get passenger() {
      return (record ??= lazyRecord(cached));
    },
    get attachments() {
      return (attachments ??= metaOf(cached).attachments.map((a) => ({ ...a })));
    },
    steps: s.steps,
    seated_at: s.seated_at,
    completed_at: s.completed_at,
  };
}

/**
 * A passenger record whose payload is parsed when first read. The payload is an accessor that
 * behaves as a plain field (enumerable: spread, JSON and equality see it; assignable), in the order
 * passengerRecord() gives the fields.
 */
function lazyRecord(cached: CachedEntry): PassengerRecord {
  const m = metaOf(cached);
  const record = { id: m.id, type: m.type, external_id: m.external_id, source_system: m.source_system, pulled_at: m.pulled_at, puller: m.puller } as PassengerRecord;
  lazyField(record, "payload", () => (JSON.parse(cached.passengerText) as StoredPassenger).payload);
  record.log_ids = [...m.log_ids];
  return record;
}

export function toEntry(p: StoredPassenger, s: StoredStatus): QueueEntry {
  return { passenger: passengerRecord(p), attachments: p.attachments, steps: s.steps, seated_at: s.seated_at, completed_at: s.completed_at };
}

/** Refuses the whole call before writing anything when one passenger cannot be stored. */
export function checkSeatable({ passenger: p }: SeatRequest): void {
  const bad = (problem: string) => new DatabusError("DBUS_RUN_BAD_PASSENGER", { name: p.puller, problem });
  if (typeof p.id !== "string" || !isUuid(p.id)) throw bad(`its id ${JSON.stringify(p.id)} is not a UUID`);
  if (typeof p.external_id !== "string" || typeof p.source_system !== "string") throw bad("it has no external_id or source_system");
  const names = new Set<string>();
  for (const a of p.attachments ?? []) {
    const problem = attachmentNameProblem(a.name);
    if (problem) throw bad(`an attachment ${problem}`);
    if (names.has(a.name)) throw bad(`two attachments are called ${JSON.stringify(a.name)}`);
    names.add(a.name);
  }
}
