/**
 * The on-disk shape of one queue entry folder and how it is written and read.
 *
 *   passenger.json   PassengerRecord + `attachments: AttachmentInfo[]` (no contents)
 *   status.json      { seated_at, completed_at, steps: StepStatus[] }   (the only file status changes rewrite)
 *   attachments/<name>   contents; text as UTF-8
 *
 * Errors: DBUS_STO_CORRUPT_FILE (unreadable JSON), DBUS_STO_DISK_FULL / DBUS_STO_WRITE_FAILED (writes).
 */
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import {
  byteLength,
  guessMediaType,
  type Attachment,
  type AttachmentInfo,
  type PassengerData,
  type PassengerRecord,
} from "../../core/passenger";
import type { StepStatus } from "../../core/step-status";
import { readBytesOrUndefined, readJsonOrUndefined, syncDir, tempName, writeAtomic, writeDurable, writeFailure } from "./files";
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

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/**
 * Writes a whole entry folder under a temp name in the queue folder, then renames it into place:
 * a crash leaves either no entry or a complete one. The caller fsyncs the queue folder (once per seat).
 */
export async function writeEntryFolder(
  layout: Layout,
  client: string,
  passenger: StoredPassenger,
  status: StoredStatus,
  attachments: readonly Attachment[],
): Promise<void> {
  const final = layout.entryDir(client, passenger.id);
  const tmp = tempName(final);
  try {
    await mkdir(join(tmp, "attachments"), { recursive: true });
    for (const a of attachments) await writeDurable(layout.attachmentFile(tmp, a.name), a.content);
    await syncDir(join(tmp, "attachments"));
    await writeDurable(join(tmp, PASSENGER_FILE), json(passenger));
    await writeDurable(join(tmp, STATUS_FILE), json(status));
    await syncDir(tmp);
    await rename(tmp, final);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw writeFailure(final, e);
  }
}

export const readStoredPassenger = async (layout: Layout, client: string, id: string) =>
  readJsonOrUndefined<StoredPassenger>(layout.passengerFile(client, id));

export const readStoredStatus = async (layout: Layout, client: string, id: string) =>
  readJsonOrUndefined<StoredStatus>(layout.statusFile(client, id));

// Temp files go to the queue folder (see writeAtomic): open() sweeps it, a crash leaves nothing in the entry.
export const writeStoredStatus = async (layout: Layout, client: string, id: string, status: StoredStatus) =>
  writeAtomic(layout.statusFile(client, id), json(status), layout.queueDir(client));

export const writeStoredPassenger = async (layout: Layout, client: string, passenger: StoredPassenger) =>
  writeAtomic(layout.passengerFile(client, passenger.id), json(passenger), layout.queueDir(client));

export async function readAttachmentContent(layout: Layout, client: string, id: string, info: AttachmentInfo): Promise<Attachment | undefined> {
  const bytes = await readBytesOrUndefined(layout.attachmentFile(layout.entryDir(client, id), info.name));
  if (bytes === undefined) return undefined;
  const content = info.text ? new TextDecoder().decode(bytes) : bytes;
  return { name: info.name, content, media_type: info.media_type };
}

/**
 * Replaces the attachments of an entry: new contents first (each atomically), then passenger.json,
 * then files no longer listed are removed. passenger.json never lists a file that is missing.
 */
export async function replaceAttachments(
  layout: Layout,
  client: string,
  next: StoredPassenger,
  previous: readonly AttachmentInfo[],
  attachments: readonly Attachment[],
): Promise<void> {
  const dir = layout.entryDir(client, next.id);
  await mkdir(join(dir, "attachments"), { recursive: true }).catch((e) => {
    throw writeFailure(dir, e);
  });
  for (const a of attachments) await writeAtomic(layout.attachmentFile(dir, a.name), a.content, layout.queueDir(client));
  await writeStoredPassenger(layout, client, next);
  const keep = new Set(attachments.map((a) => a.name));
  const gone = previous.filter((p) => !keep.has(p.name));
  await Promise.all(gone.map((p) => rm(layout.attachmentFile(dir, p.name), { force: true })));
}
