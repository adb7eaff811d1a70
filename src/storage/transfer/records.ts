/**
 * Checks every record read from an archive before anything is written: shapes, ids, names, times
 * and sizes. A bad record raises DBUS_EXP_BAD_RECORD naming its number and the field. Pure.
 */
import { DatabusError } from "../../core/errors";
import { isClientId, isUuid } from "../../core/ids";
import { LOG_LEVELS, LOG_ORIGINS, type LogEntry, type LogOrigin, type RunCounts } from "../../core/log";
import { attachmentNameProblem, type PassengerRecord } from "../../core/passenger";
import type { StepKind, StepState, StepStatus } from "../../core/step-status";
import { isUsername, ROLES, type Role } from "../../core/users";
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  type ArchiveCounts,
  type ArchiveRecord,
  type AttachmentRecord,
  type BackupRecord,
  type ConfigRecord,
  type EntryRecord,
  type FileRecord,
  type LogEntriesRecord,
  type LogRecord,
  type TrailerRecord,
  type UserRecord,
  type HeaderRecord,
} from "./format";
import { INVALID_JSON, INVALID_UTF8, type Line } from "./lines";

type Json = Record<string, unknown>;

const STEP_KINDS: readonly StepKind[] = ["notify", "processor", "pusher"];
const STEP_STATES: readonly StepState[] = ["pending", "done", "failed", "skipped"];
/** Log ids as engines accept them (UUID v7 in practice): safe as a file name or a key. */
const LOG_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_TEXT = 64 * 1024 * 1024;
const MAX_NAME = 1000;
const MAX_STEPS = 1000;
export const MAX_ATTACHMENTS = 10_000;
export const MAX_LOG_ENTRIES_PER_RECORD = 10_000;

/** A checker bound to one record: each method returns the field or throws naming the record and field. */
class Fields {
  constructor(
    readonly record: number,
    private value: Json,
    private prefix = "",
  ) {}

  fail(field: string, problem: string): never {
    const where = `${this.prefix}${field}`;
    throw new DatabusError("DBUS_EXP_BAD_RECORD", { record: this.record, problem: where ? `\`${where}\` ${problem}` : problem });
  }

  raw(field: string): unknown {
    return this.value[field];
  }

  text(field: string, max = MAX_NAME): string {
    const v = this.value[field];
    if (typeof v !== "string") this.fail(field, "must be text");
    if (v.length > max) this.fail(field, `is longer than ${max} characters`);
    return v;
  }

  textOrNull(field: string, max = MAX_NAME): string | null {
    return this.value[field] === null ? null : this.text(field, max);
  }

  time(field: string): string {
    const v = this.text(field, 40);
    if (!ISO.test(v) || Number.isNaN(Date.parse(v))) this.fail(field, "must be a time such as 2025-01-15T10:00:00.000Z");
    return v;
  }

  timeOrNull(field: string): string | null {
    return this.value[field] === null ? null : this.time(field);
  }

  count(field: string, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.value[field];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) this.fail(field, `must be a whole number from 0 to ${max}`);
    return v;
  }

  bool(field: string): boolean {
    const v = this.value[field];
    if (typeof v !== "boolean") this.fail(field, "must be true or false");
    return v;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const v = this.value[field];
    if (!allowed.includes(v as T)) this.fail(field, `must be one of ${allowed.join(", ")}`);
    return v as T;
  }

  object(field: string): Fields {
    const v = this.value[field];
    if (!isObject(v)) this.fail(field, "must be an object");
    return new Fields(this.record, v, `${this.prefix}${field}.`);
  }

  list(field: string, max: number): Fields[] {
    const v = this.value[field];
    if (!Array.isArray(v)) this.fail(field, "must be a list");
    if (v.length > max) this.fail(field, `has more than ${max} items`);
    return v.map((item, i) => {
      if (!isObject(item)) this.fail(`${field}[${i}]`, "must be an object");
      return new Fields(this.record, item, `${this.prefix}${field}[${i}].`);
    });
  }
}

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** The record of one line, checked; `expect` names the kinds allowed at this point of the file. */
export function parseRecord(line: Line, expect: readonly ArchiveRecord["kind"][]): ArchiveRecord {
  const bad = (problem: string) => new DatabusError("DBUS_EXP_BAD_RECORD", { record: line.number, problem });
  if (line.value === INVALID_UTF8) throw bad("it is not valid UTF-8 text");
  if (line.value === INVALID_JSON) throw bad("it is not valid JSON");
  if (!isObject(line.value)) throw bad("it is not a JSON object");
  const f = new Fields(line.number, line.value);
  const kind = f.raw("kind");
  if (typeof kind !== "string" || !expect.includes(kind as ArchiveRecord["kind"]))
    throw bad(`a record of kind ${JSON.stringify(kind)} is not allowed here (expected ${expect.join(" or ")})`);
  switch (kind as ArchiveRecord["kind"]) {
    case "header":
      throw bad("a second header is not allowed");
    case "backup":
      return { kind: "backup", id: f.text("id", 200), at: f.time("at"), text: f.text("text", MAX_TEXT) } satisfies BackupRecord;
    case "config":
      return { kind: "config", text: f.text("text", MAX_TEXT) } satisfies ConfigRecord;
    case "file":
      return { kind: "file", name: fileName(f), text: f.text("text", MAX_TEXT) } satisfies FileRecord;
    case "user":
      return parseUser(f);
    case "entry":
      return parseEntry(f);
    case "attachment":
      return parseAttachment(f);
    case "log":
      return parseLog(f);
    case "log_entries":
      return parseLogEntries(f);
    case "trailer":
      return { kind: "trailer", counts: parseCounts(f.object("counts")), records: f.count("records") } satisfies TrailerRecord;
  }
}

export function parseCounts(f: Fields): ArchiveCounts {
  return {
    backups: f.count("backups"),
    files: f.count("files"),
    users: f.count("users"),
    entries: f.count("entries"),
    attachments: f.count("attachments"),
    logs: f.count("logs"),
    log_entries: f.count("log_entries"),
  };
}

/** The first line: anything else than a Databus header means the file is not an archive at all. */
export function parseHeader(line: Line): HeaderRecord {
  const v = line.value;
  if (!isObject(v) || v.kind !== "header" || v.format !== ARCHIVE_FORMAT)
    throw new DatabusError("DBUS_EXP_NOT_ARCHIVE", { reason: "its first line is not a Databus archive header" });
  if (v.version !== ARCHIVE_VERSION) throw new DatabusError("DBUS_EXP_VERSION", { found: String(v.version).slice(0, 20), supported: ARCHIVE_VERSION });
  const f = new Fields(line.number, v);
  const client = f.text("client", 32);
  if (!isClientId(client)) f.fail("client", "is not a valid client id");
  return {
    kind: "header",
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    client,
    exported_at: f.time("exported_at"),
    databus_version: f.text("databus_version", 100),
    engine: f.text("engine", 200),
    counts: parseCounts(f.object("counts")),
  };
}

function fileName(f: Fields): string {
  const name = f.text("name", 200);
  const problem = attachmentNameProblem(name);
  if (problem) f.fail("name", problem);
  return name;
}

function parseUser(f: Fields): UserRecord {
  const username = f.text("username", 64);
  if (!isUsername(username)) f.fail("username", "must be 1–64 letters, digits or . _ @ -");
  const role: Role = f.oneOf("role", ROLES);
  const hash = f.text("password_hash", 1000);
  if (!hash.startsWith("$argon2")) f.fail("password_hash", "must be an argon2 hash");
  return { kind: "user", username, role, password_hash: hash };
}

function parseEntry(f: Fields): EntryRecord {
  const p = f.object("passenger");
  const id = p.text("id", 36);
  if (!isUuid(id)) p.fail("id", "must be a UUID");
  const logIds = p.raw("log_ids");
  if (!Array.isArray(logIds) || logIds.length > 100_000 || !logIds.every((l) => typeof l === "string" && LOG_ID.test(l)))
    p.fail("log_ids", "must be a list of log ids");
  const passenger: PassengerRecord = {
    id,
    type: p.text("type"),
    external_id: p.text("external_id"),
    source_system: p.text("source_system"),
    pulled_at: p.time("pulled_at"),
    puller: p.text("puller"),
    payload: p.raw("payload") ?? null,
    log_ids: logIds as string[],
  };
  const steps = f.list("steps", MAX_STEPS).map(parseStep);
  const seatedAt = f.time("seated_at");
  const completedAt = f.timeOrNull("completed_at");
  return { kind: "entry", passenger, steps, seated_at: seatedAt, completed_at: completedAt };
}

function parseStep(s: Fields): StepStatus {
  const state = s.oneOf("state", STEP_STATES);
  const nextAttemptAt = s.timeOrNull("next_attempt_at");
  return {
    kind: s.oneOf("kind", STEP_KINDS),
    name: s.text("name"),
    state,
    attempts: s.count("attempts", 1_000_000),
    last_error: s.textOrNull("last_error", 100_000),
    next_attempt_at: nextAttemptAt,
    updated_at: s.time("updated_at"),
  };
}

function parseAttachment(f: Fields): AttachmentRecord {
  const entry = f.text("entry", 36);
  const text = f.bool("text");
  const content = f.text("content", Number.MAX_SAFE_INTEGER);
  if (!text && (content.length % 4 !== 0 || !BASE64.test(content))) f.fail("content", "must be base64 when `text` is false");
  return { kind: "attachment", entry, name: fileName(f), media_type: f.text("media_type", 200), text, content };
}

function parseLog(f: Fields): LogRecord {
  const id = f.text("id", 64);
  if (!LOG_ID.test(id)) f.fail("id", "must be 1–64 letters, digits, _ or - (starting with a letter or digit)");
  const counts = f.raw("counts") === null ? null : parseRunCounts(f.object("counts"));
  const title = f.text("title", 10_000);
  return {
    kind: "log",
    id,
    origin: parseOrigin(f, title),
    at: f.time("at"),
    title,
    definition: f.textOrNull("definition"),
    finished_at: f.timeOrNull("finished_at"),
    counts,
    entries: f.count("entries"),
    instance: f.raw("instance") === undefined ? null : f.textOrNull("instance"),
  };
}

function parseRunCounts(f: Fields): RunCounts {
  return { pulled: f.count("pulled"), seated: f.count("seated"), delivered: f.count("delivered"), failed: f.count("failed") };
}

function parseLogEntries(f: Fields): LogEntriesRecord {
  const entries = f.list("entries", MAX_LOG_ENTRIES_PER_RECORD).map(
    (e): LogEntry => ({ at: e.time("at"), level: e.oneOf("level", LOG_LEVELS), source: e.text("source"), message: e.text("message", 1_000_000) }),
  );
  return { kind: "log_entries", log: f.text("log", 64), entries };
}

/** `run` or `console`; archives written before logs had an origin tell runs by their title. */
function parseOrigin(f: Fields, title: string): LogOrigin {
  const raw = f.raw("origin");
  if (raw === undefined) return title.startsWith("run ") ? "run" : "console";
  if (!LOG_ORIGINS.includes(raw as LogOrigin)) f.fail("origin", `must be one of ${LOG_ORIGINS.join(", ")}`);
  return raw as LogOrigin;
}
