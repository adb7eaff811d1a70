/**
 * The import state machine: which record may come next, what each one writes, and what to undo when
 * the archive turns out to be bad. One instance per import; import.ts drives it.
 */
import { DatabusError } from "../../core/errors";
import type { Attachment } from "../../core/passenger";
import type { User } from "../../core/users";
import type { Database, SeatRequest } from "../database";
import {
  NO_ARCHIVE_COUNTS,
  type ArchiveCounts,
  type ArchiveRecord,
  type AttachmentRecord,
  type EntryRecord,
  type LogRecord,
  type OnProgress,
  type TransferProgress,
  type TrailerRecord,
  type UserRecord,
} from "./format";
import type { Line } from "./lines";
import { MAX_ATTACHMENTS, parseRecord } from "./records";

type Section = "config" | "files" | "users" | "entries" | "logs" | "done";

/** Entries are seated in batches: fewer durable writes, and a bounded amount of attachment bytes in memory. */
const BATCH_ENTRIES = 100;
const BATCH_BYTES = 32 * 1024 * 1024;
const MAX_BACKUPS = 10_000;

const bad = (record: number, problem: string) => new DatabusError("DBUS_EXP_BAD_RECORD", { record, problem });

interface PendingEntry {
  record: number;
  entry: EntryRecord;
  attachments: Attachment[];
  bytes: number;
}

export class Importer {
  private counts: ArchiveCounts = { ...NO_ARCHIVE_COUNTS };
  private section: Section = "config";
  private created = false;
  private backups: string[] = [];
  private fileNames = new Set<string>();
  private users: Map<string, User> | undefined;
  private userNames = new Set<string>();
  private entryIds = new Set<string>();
  private seatedIds: string[] = [];
  private pending: PendingEntry | undefined;
  private batch: PendingEntry[] = [];
  private batchBytes = 0;
  private log: { record: LogRecord; remaining: number } | undefined;
  private logIds = new Set<string>();

  constructor(
    private db: Database,
    private client: string,
    private exists: boolean,
    private progress: TransferProgress,
    private onProgress: OnProgress,
  ) {}

  /** Applies every record after the header; resolves with the counts the trailer confirmed. */
  async run(lines: AsyncIterable<Line>): Promise<ArchiveCounts> {
    let last = 1;
    for await (const line of lines) {
      last = line.number;
      if (this.section === "done") throw bad(line.number, "it comes after the closing record");
      const record = parseRecord(line, this.expected());
      try {
        await this.apply(line.number, record);
      } catch (e) {
        throw asRecordError(line.number, e);
      }
    }
    if (this.section !== "done") throw new DatabusError("DBUS_EXP_TRUNCATED", { records: last });
    return this.counts;
  }

  /** Removes what this import added: the whole client if it made it, else the entries it seated. */
  async rollback(): Promise<void> {
    if (this.created) {
      await this.db.deleteClient(this.client).catch(() => undefined);
      return;
    }
    for (const id of this.seatedIds) await this.db.deleteEntry(this.client, id).catch(() => undefined);
  }

  private expected(): ArchiveRecord["kind"][] {
    switch (this.section) {
      case "config":
        return ["backup", "config"];
      case "files":
        return ["file", "user", "entry", "log", "trailer"];
      case "users":
        return ["user", "entry", "log", "trailer"];
      case "entries":
        return this.pending ? ["attachment", "entry", "log", "trailer"] : ["entry", "log", "trailer"];
      case "logs":
        return this.log && this.log.remaining > 0 ? ["log_entries"] : ["log", "trailer"];
      case "done":
        return [];
    }
  }

  private async apply(n: number, r: ArchiveRecord): Promise<void> {
    switch (r.kind) {
      case "header":
        throw bad(n, "a second header is not allowed");
      case "backup":
        if (this.backups.length >= MAX_BACKUPS) throw bad(n, `more than ${MAX_BACKUPS} config backups`);
        this.backups.push(r.text);
        this.counts.backups++;
        return;
      case "config":
        await this.writeConfig(r.text);
        this.section = "files";
        return;
      case "file":
        if (this.fileNames.has(r.name)) throw bad(n, `the file ${JSON.stringify(r.name)} appears twice`);
        this.fileNames.add(r.name);
        await this.db.writeClientFile(this.client, r.name, r.text);
        this.counts.files++;
        return;
      case "user":
        this.section = "users";
        return this.putUser(n, r);
      case "entry":
        this.section = "entries";
        await this.closeEntry();
        if (this.entryIds.has(r.passenger.id)) throw bad(n, `the passenger ${r.passenger.id} appears twice`);
        this.entryIds.add(r.passenger.id);
        this.pending = { record: n, entry: r, attachments: [], bytes: 0 };
        return;
      case "attachment":
        return this.addAttachment(n, r);
      case "log":
        await this.closeEntries();
        await this.closeLog();
        this.section = "logs";
        return this.openLog(n, r);
      case "log_entries": {
        const log = this.log!;
        if (r.log !== log.record.id) throw bad(n, `\`log\` must be ${log.record.id}, the log before it`);
        if (r.entries.length > log.remaining) throw bad(n, `the log ${log.record.id} has more entries than its record says`);
        await this.db.appendLog(this.client, r.log, r.entries);
        log.remaining -= r.entries.length;
        this.counts.log_entries += r.entries.length;
        return;
      }
      case "trailer":
        await this.closeEntries();
        await this.closeLog();
        this.checkTrailer(n, r);
        this.section = "done";
        return;
    }
  }

  /** Backups are recreated in order by writing each text, then the config; the store keeps each previous text. */
  private async writeConfig(text: string): Promise<void> {
    const texts = [...this.backups, text];
    this.backups = [];
    if (!this.exists) {
      await this.db.createClient(this.client, texts.shift()!);
      this.created = true;
    }
    for (const t of texts) await this.db.writeConfig(this.client, t);
  }

  /** Users already in the imported config text are left as they are, so the text stays byte for byte. */
  private async putUser(n: number, r: UserRecord): Promise<void> {
    this.users ??= new Map((await this.db.listUsers(this.client)).map((u) => [u.username, u]));
    const same = this.users.get(r.username);
    if (this.userNames.has(r.username)) throw bad(n, `the user ${r.username} appears twice`);
    this.userNames.add(r.username);
    if (!same || same.role !== r.role || same.password_hash !== r.password_hash)
      await this.db.putUser(this.client, { username: r.username, role: r.role, password_hash: r.password_hash });
    this.counts.users++;
  }

  private addAttachment(n: number, r: AttachmentRecord): void {
    const p = this.pending!;
    if (r.entry !== p.entry.passenger.id) throw bad(n, `\`entry\` must be ${p.entry.passenger.id}, the entry before it`);
    if (p.attachments.some((a) => a.name === r.name)) throw bad(n, `the attachment ${JSON.stringify(r.name)} appears twice`);
    if (p.attachments.length >= MAX_ATTACHMENTS) throw bad(n, `the entry has more than ${MAX_ATTACHMENTS} attachments`);
    const content = r.text ? r.content : new Uint8Array(Buffer.from(r.content, "base64"));
    p.attachments.push({ name: r.name, content, media_type: r.media_type });
    p.bytes += r.content.length;
    this.counts.attachments++;
  }

  private async closeEntry(): Promise<void> {
    if (!this.pending) return;
    this.batch.push(this.pending);
    this.batchBytes += this.pending.bytes;
    this.pending = undefined;
    if (this.batch.length >= BATCH_ENTRIES || this.batchBytes >= BATCH_BYTES) await this.seatBatch();
  }

  private async closeEntries(): Promise<void> {
    await this.closeEntry();
    await this.seatBatch();
  }

  private async seatBatch(): Promise<void> {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    const requests: SeatRequest[] = batch.map(({ entry, attachments }) => ({
      passenger: { ...entry.passenger, attachments },
      steps: entry.steps,
      seated_at: entry.seated_at,
      completed_at: entry.completed_at,
    }));
    // Recorded before seating: a seat that fails half-way may still have stored some of them.
    for (const p of batch) this.seatedIds.push(p.entry.passenger.id);
    try {
      const { duplicates } = await this.db.seat(this.client, requests);
      const dup = duplicates[0];
      if (dup) {
        const record = batch[requests.indexOf(dup)]?.record ?? batch[0]!.record;
        throw bad(record, `the passenger ${dup.passenger.external_id} from ${dup.passenger.source_system} appears twice`);
      }
    } catch (e) {
      throw asRecordError(batch[0]!.record, e);
    }
    this.counts.entries += batch.length;
    this.progress.phase = "entries";
    this.progress.entries.done = this.counts.entries;
    this.progress.entries.total = Math.max(this.progress.entries.total, this.counts.entries);
    this.onProgress(this.progress);
  }

  private async openLog(n: number, r: LogRecord): Promise<void> {
    if (this.logIds.has(r.id)) throw bad(n, `the log ${r.id} appears twice`);
    this.logIds.add(r.id);
    await this.db.createLog(this.client, { id: r.id, origin: r.origin, at: r.at, title: r.title, definition: r.definition, ...(r.instance ? { instance: r.instance } : {}) });
    this.log = { record: r, remaining: r.entries };
  }

  private async closeLog(): Promise<void> {
    const log = this.log;
    if (!log) return;
    this.log = undefined;
    const { id, finished_at, counts } = log.record;
    if (finished_at !== null) await this.db.finishLog(this.client, id, finished_at, counts ?? { pulled: 0, seated: 0, delivered: 0, failed: 0 });
    this.counts.logs++;
    this.progress.phase = "logs";
    this.progress.logs.done = this.counts.logs;
    this.progress.logs.total = Math.max(this.progress.logs.total, this.counts.logs);
    this.onProgress(this.progress);
  }

  private checkTrailer(n: number, r: TrailerRecord): void {
    if (r.records !== n - 1) throw bad(n, `the closing record counts ${r.records} records before it, but the file has ${n - 1}`);
    for (const [k, v] of Object.entries(this.counts) as [keyof ArchiveCounts, number][])
      if (r.counts[k] !== v) throw bad(n, `the closing record counts ${r.counts[k]} ${k.replace("_", " ")}, but the file has ${v}`);
  }
}

/**
 * A store refusal caused by the archive's content (a 4xx catalogue error) becomes DBUS_EXP_BAD_RECORD
 * naming the record; failures of the store itself (disk full, unreachable) stay what they are.
 */
export function asRecordError(record: number, e: unknown): unknown {
  if (!(e instanceof DatabusError) || e.code.startsWith("DBUS_EXP_")) return e;
  if (e.status >= 400 && e.status < 500) return new DatabusError("DBUS_EXP_BAD_RECORD", { record, problem: `${e.code} ${e.message}` }, { cause: e });
  return e;
}
