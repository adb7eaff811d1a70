/**
 * The on-disk shape of one queue entry folder, how it is read, and the journal ops that write it.
 *
 *   passenger.json   PassengerRecord + `attachments: AttachmentInfo[]` (no contents)
 *   status.json      { seated_at, completed_at, steps: StepStatus[] }   (the only file status changes rewrite)
 *   attachments/<name>   contents; text as UTF-8
 *
 * Errors: DBUS_STO_CORRUPT_FILE (unreadable JSON), DBUS_STO_DISK_FULL / DBUS_STO_WRITE_FAILED (writes).
 */
import {
  byteLength,
  guessMediaType,
  type Attachment,
  type AttachmentInfo,
  type PassengerData,
  type PassengerRecord,
} from "../../core/passenger";
import type { StepStatus } from "../../core/step-status";
import type { Journal } from "./journal";
import { contentFields, type JournalFile, type JournalOp, type JsonText } from "./journal-ops";
import { PASSENGER_FILE, STATUS_FILE, type Layout } from "./layout";

export interface StoredPassenger extends PassengerRecord {
  attachments: AttachmentInfo[];
}

export interface StoredStatus {
  seated_at: string;
  completed_at: string | null;
  steps: StepStatus[];
}

export function attachmentInfo(a: Attachment): AttachmentInfo {
  return {
    name: a.name,
    media_type: a.media_type ?? guessMediaType(a.name, a.content),
    size: byteLength(a.content),
    text: typeof a.content === "string",
  };
}

export function storedPassenger(p: PassengerData): StoredPassenger {
  const { attachments, ...record } = p;
  return {
    id: record.id,
    type: record.type,
    external_id: record.external_id,
    source_system: record.source_system,
    pulled_at: record.pulled_at,
    puller: record.puller,
    payload: record.payload ?? null,
    log_ids: [...(record.log_ids ?? [])],
    attachments: attachments.map(attachmentInfo),
  };
}

export const passengerRecord = ({ attachments: _a, ...record }: StoredPassenger): PassengerRecord => record;

/**
 * The journal op that creates a whole entry folder (built under a temp name and renamed into place
 * when materialised): a crash leaves either no entry or a complete one.
 *
 * The ops of this file carry passenger and status as values (`json`), kept until their files are
 * written: callers hand in objects nobody changes afterwards (the queue's own copies), or the
 * passenger as the compact text the queue keeps of it anyway (JsonText: not stringified again).
 */
export function entryFolderOp(
  layout: Layout,
  client: string,
  id: string,
  passenger: StoredPassenger | JsonText,
  status: StoredStatus,
  attachments: readonly Attachment[],
): JournalOp {
  const dir = layout.entryDir(client, id);
  const files: JournalFile[] = attachments.map((a) => {
    layout.attachmentFile(dir, a.name); // validates the name before it becomes a path
    return { name: `attachments/${a.name}`, ...contentFields(a.content) };
  });
  files.push({ name: PASSENGER_FILE, json: passenger }, { name: STATUS_FILE, json: status });
  return { op: "folder", path: dir, files };
}

/** Reads go through the journal: a change it acknowledged may not be in the file yet. */
export const readStoredPassenger = async (journal: Journal, layout: Layout, client: string, id: string) =>
  journal.readJson<StoredPassenger>(layout.passengerFile(client, id));

export const readStoredStatus = async (journal: Journal, layout: Layout, client: string, id: string) =>
  journal.readJson<StoredStatus>(layout.statusFile(client, id));

export const statusOp = (layout: Layout, client: string, id: string, status: StoredStatus): JournalOp => ({
  op: "write",
  path: layout.statusFile(client, id),
  json: status,
});

export const passengerOp = (layout: Layout, client: string, id: string, passenger: StoredPassenger | JsonText): JournalOp => ({
  op: "write",
  path: layout.passengerFile(client, id),
  json: passenger,
});

/** `share`: bytes still pending come as held, not copied, for a caller that only compares them. */
export async function readAttachmentContent(
  journal: Journal,
  layout: Layout,
  client: string,
  id: string,
  info: AttachmentInfo,
  share = false,
): Promise<Attachment | undefined> {
  const bytes = await journal.readBytes(layout.attachmentFile(layout.entryDir(client, id), info.name), share);
  if (bytes === undefined) return undefined;
  const content = info.text ? new TextDecoder().decode(bytes) : bytes;
  return { name: info.name, content, media_type: info.media_type };
}

/**
 * The ops that replace the attachments of an entry, in order: new contents, then passenger.json, then
 * files no longer listed are removed. One journal record, so they are acknowledged (and replayed) together.
 * `unchanged`: names whose file holds this content already (not written again).
 */
export function replaceAttachmentsOps(
  layout: Layout,
  client: string,
  id: string,
  next: StoredPassenger | JsonText,
  previous: readonly AttachmentInfo[],
  attachments: readonly Attachment[],
  unchanged: ReadonlySet<string> = new Set(),
): JournalOp[] {
  const dir = layout.entryDir(client, id);
  const keep = new Set(attachments.map((a) => a.name));
  const written = attachments.filter((a) => !unchanged.has(a.name));
  return [
    ...written.map((a): JournalOp => ({ op: "write", path: layout.attachmentFile(dir, a.name), ...contentFields(a.content) })),
    passengerOp(layout, client, id, next),
    ...previous.filter((p) => !keep.has(p.name)).map((p): JournalOp => ({ op: "remove", path: layout.attachmentFile(dir, p.name) })),
  ];
}
