/**
 * The client archive format (`<client>-<time>.databus.gz`), version 1: what one exported client looks
 * like on disk. Engine-agnostic: written and read only through the Database contract.
 *
 * One gzip stream of JSON lines (UTF-8, `\n` after every line). Each line is one record, an object
 * whose `kind` says what it holds; records are numbered from 1 in file order (errors name the number).
 * Order, and how many of each:
 *
 *   1  header      { kind, format: "databus-client-archive", version: 1, client, exported_at,
 *                    databus_version, engine, counts }                        exactly one, first
 *      backup      { kind, id, at, text }        config backups, oldest first (0..n)
 *      config      { kind, text }                 the config text exactly as stored (one)
 *      file        { kind, name, text }           the client's external config files, ctx.files (0..n)
 *      user        { kind, username, role, password_hash }   argon2id hashes, never plain (0..n)
 *      entry       { kind, passenger, steps, seated_at, completed_at }   queue entries, oldest first (0..n)
 *        attachment  { kind, entry, name, media_type, text, content }   right after their entry, one
 *                    record each; `content` is the text itself when `text` is true, else base64 bytes
 *      log         { kind, id, origin, at, title, definition, finished_at, counts, entries: n, instance? }   (0..n)
 *        log_entries { kind, log, entries: LogEntry[] }   chunks of at most LOG_CHUNK, n entries in all
 *   last trailer   { kind, counts, records }     counts of what was written; records = lines before it
 *
 * The header's counts are what the client held when the export began (the totals for progress bars;
 * its `attachments` and `log_entries` are 0, they are not known before reading every entry); the
 * trailer's counts are what the file holds. A file without its trailer is truncated and refused.
 *
 * Not in the archive: plugin state (the contract reads and writes it by driver and key but cannot
 * list it, so pullers' cursors start afresh after an import), sessions and remember-me tokens.
 * Backups keep their texts and order; the target store gives them new times when it recreates them.
 */
import type { LogEntry, LogOrigin, RunCounts } from "../../core/log";
import type { PassengerRecord } from "../../core/passenger";
import type { StepStatus } from "../../core/step-status";
import type { Role } from "../../core/users";

export const ARCHIVE_FORMAT = "databus-client-archive";
export const ARCHIVE_VERSION = 1;
export const ARCHIVE_SUFFIX = ".databus.gz";
export const ARCHIVE_MEDIA_TYPE = "application/gzip";
/** Log entries per `log_entries` record: lines stay small even for a log with 100,000 entries. */
export const LOG_CHUNK = 500;

export interface ArchiveCounts {
  backups: number;
  files: number;
  users: number;
  entries: number;
  attachments: number;
  logs: number;
  log_entries: number;
}

export const NO_ARCHIVE_COUNTS: ArchiveCounts = { backups: 0, files: 0, users: 0, entries: 0, attachments: 0, logs: 0, log_entries: 0 };

export interface HeaderRecord {
  kind: "header";
  format: typeof ARCHIVE_FORMAT;
  version: number;
  client: string;
  exported_at: string;
  databus_version: string;
  engine: string;
  counts: ArchiveCounts;
}

export interface BackupRecord {
  kind: "backup";
  id: string;
  at: string;
  text: string;
}

export interface ConfigRecord {
  kind: "config";
  text: string;
}

export interface FileRecord {
  kind: "file";
  name: string;
  text: string;
}

export interface UserRecord {
  kind: "user";
  username: string;
  role: Role;
  password_hash: string;
}

export interface EntryRecord {
  kind: "entry";
  passenger: PassengerRecord;
  steps: StepStatus[];
  seated_at: string;
  completed_at: string | null;
}

export interface AttachmentRecord {
  kind: "attachment";
  entry: string;
  name: string;
  media_type: string;
  text: boolean;
  content: string;
}

export interface LogRecord {
  kind: "log";
  id: string;
  origin: LogOrigin;
  at: string;
  title: string;
  definition: string | null;
  finished_at: string | null;
  counts: RunCounts | null;
  entries: number;
  /** The instance that ran it; absent in archives written before instances were recorded. */
  instance?: string | null;
}

export interface LogEntriesRecord {
  kind: "log_entries";
  log: string;
  entries: LogEntry[];
}

export interface TrailerRecord {
  kind: "trailer";
  counts: ArchiveCounts;
  records: number;
}

export type ArchiveRecord =
  | HeaderRecord
  | BackupRecord
  | ConfigRecord
  | FileRecord
  | UserRecord
  | EntryRecord
  | AttachmentRecord
  | LogRecord
  | LogEntriesRecord
  | TrailerRecord;

/** What export and import report while they work; `total` figures come from the header. */
export interface TransferProgress {
  phase: "config" | "entries" | "logs" | "done";
  entries: { done: number; total: number };
  logs: { done: number; total: number };
}

export type OnProgress = (progress: TransferProgress) => void;

/** `acme-2025-01-15T10-00-00Z.databus.gz`: portable (no `:`), sorts by time. */
export function archiveFileName(client: string, atIso: string): string {
  return `${client}-${atIso.replace(/\.\d{3}Z$/, "Z").replaceAll(":", "-")}${ARCHIVE_SUFFIX}`;
}
