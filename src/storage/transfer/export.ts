/**
 * Export: writes one client as an archive (format.ts) to a stream, page by page, through the
 * Database contract only. Memory holds one page of entries and one attachment or log at a time.
 */
import { isDatabusError } from "../../core/errors";
import type { User } from "../../core/users";
import type { Database } from "../database";
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  LOG_CHUNK,
  NO_ARCHIVE_COUNTS,
  type ArchiveCounts,
  type HeaderRecord,
  type OnProgress,
  type TransferProgress,
} from "./format";
import { LineWriter } from "./lines";

const PAGE = 200;

export interface ExportOptions {
  /** The Databus version written into the header. */
  version?: string;
  /** The export time (ISO); now by default. */
  now?: string;
}

/**
 * Writes `client` to `out` as a gzip archive and closes it; resolves with what was written. On any
 * failure the stream is aborted (never closed as if complete) and the error is raised again.
 * Entries seated or purged while it runs may or may not be included; pause the dispatcher for an
 * exact copy. Raises DBUS_CFG_CLIENT_NOT_FOUND, storage errors.
 */
export async function exportClient(
  db: Database,
  client: string,
  out: WritableStream<Uint8Array>,
  onProgress: OnProgress = () => {},
  options: ExportOptions = {},
): Promise<ArchiveCounts> {
  const writer = new LineWriter(out);
  try {
    const counts = await writeArchive(db, client, writer, onProgress, options);
    await writer.close();
    return counts;
  } catch (e) {
    await writer.abort(e);
    throw e;
  }
}

async function writeArchive(db: Database, client: string, w: LineWriter, onProgress: OnProgress, options: ExportOptions): Promise<ArchiveCounts> {
  const config = await db.readConfig(client);
  const backups = (await db.listConfigBackups(client)).reverse();
  const files = await db.listClientFiles(client);
  const users = await usersOf(db, client);
  const byState = await db.countEntries(client);
  const entriesTotal = Object.values(byState).reduce((a, b) => a + b, 0);
  const logsTotal = (await db.listLogs(client, {}, { offset: 0, limit: 1 })).total;
  const header: HeaderRecord = {
    kind: "header",
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    client,
    exported_at: options.now ?? new Date().toISOString(),
    databus_version: options.version ?? "unknown",
    engine: db.engine,
    counts: { ...NO_ARCHIVE_COUNTS, backups: backups.length, files: files.length, users: users.length, entries: entriesTotal, logs: logsTotal },
  };
  const counts: ArchiveCounts = { ...NO_ARCHIVE_COUNTS };
  const progress: TransferProgress = { phase: "config", entries: { done: 0, total: entriesTotal }, logs: { done: 0, total: logsTotal } };
  onProgress(progress);
  await w.write(header);

  for (const b of backups) {
    await w.write({ kind: "backup", id: b.id, at: b.at, text: await db.readConfigBackup(client, b.id) });
    counts.backups++;
  }
  await w.write({ kind: "config", text: config });
  for (const name of files) {
    const text = await db.readClientFile(client, name);
    if (text === undefined) continue; // deleted meanwhile
    await w.write({ kind: "file", name, text });
    counts.files++;
  }
  for (const u of users) {
    await w.write({ kind: "user", username: u.username, role: u.role, password_hash: u.password_hash });
    counts.users++;
  }

  progress.phase = "entries";
  await writeEntries(db, client, w, counts, () => {
    progress.entries.done = counts.entries;
    progress.entries.total = Math.max(progress.entries.total, counts.entries);
    onProgress(progress);
  });
  progress.phase = "logs";
  await writeLogs(db, client, w, counts, () => {
    progress.logs.done = counts.logs;
    progress.logs.total = Math.max(progress.logs.total, counts.logs);
    onProgress(progress);
  });

  await w.write({ kind: "trailer", counts, records: w.lines });
  progress.phase = "done";
  onProgress(progress);
  return counts;
}

/** Users are part of the config; a config that cannot be read still exports (its text is in the archive). */
async function usersOf(db: Database, client: string): Promise<User[]> {
  try {
    return await db.listUsers(client);
  } catch (e) {
    if (isDatabusError(e) && e.code.startsWith("DBUS_CFG_") && e.code !== "DBUS_CFG_CLIENT_NOT_FOUND") return [];
    throw e;
  }
}

/** Oldest first, so entries seated during the export land after the cursor instead of shifting it. */
async function writeEntries(db: Database, client: string, w: LineWriter, counts: ArchiveCounts, tick: () => void): Promise<void> {
  for (let offset = 0; ; offset += PAGE) {
    const { entries } = await db.listEntries(client, {}, { offset, limit: PAGE }, "seated_at");
    for (const e of entries) {
      const { passenger, steps, seated_at, completed_at } = e;
      await w.write({ kind: "entry", passenger, steps, seated_at, completed_at });
      for (const info of e.attachments) {
        const a = await db.readAttachment(client, passenger.id, info.name);
        if (!a) continue; // the entry changed or was deleted meanwhile
        const text = typeof a.content === "string";
        const content = typeof a.content === "string" ? a.content : Buffer.from(a.content).toString("base64");
        await w.write({ kind: "attachment", entry: passenger.id, name: a.name, media_type: a.media_type ?? info.media_type, text, content });
        counts.attachments++;
      }
      counts.entries++;
      tick();
    }
    if (entries.length < PAGE) return;
  }
}

/** Logs are listed newest first, so one started meanwhile shifts the pages: ids already written are skipped. */
async function writeLogs(db: Database, client: string, w: LineWriter, counts: ArchiveCounts, tick: () => void): Promise<void> {
  const written = new Set<string>();
  for (let offset = 0; ; offset += PAGE) {
    const { logs } = await db.listLogs(client, {}, { offset, limit: PAGE });
    for (const header of logs) {
      if (written.has(header.id)) continue;
      const log = await db.readLog(client, header.id);
      if (!log) continue; // purged meanwhile
      written.add(log.id);
      const { id, origin, at, title, definition, finished_at, counts: runCounts, entries, instance } = log;
      await w.write({ kind: "log", id, origin, at, title, definition, finished_at, counts: runCounts, entries: entries.length, instance: instance ?? null });
      for (let i = 0; i < entries.length; i += LOG_CHUNK)
        await w.write({ kind: "log_entries", log: id, entries: entries.slice(i, i + LOG_CHUNK) });
      counts.logs++;
      counts.log_entries += entries.length;
      tick();
    }
    if (logs.length < PAGE) return;
  }
}
