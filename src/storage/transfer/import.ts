/**
 * Import: reads an archive (format.ts) from a stream into a new client or an existing empty one,
 * through the Database contract only. Every record is checked before it is written, every write
 * names the target client, and a failed import removes what it added (see `rollback`).
 */
import { DatabusError } from "../../core/errors";
import { isClientId } from "../../core/ids";
import type { Database } from "../database";
import type { ArchiveCounts, HeaderRecord, OnProgress, TransferProgress } from "./format";
import { readLines, type Line } from "./lines";
import { Importer } from "./importer";
import { parseHeader } from "./records";

export interface ImportOptions {
  /** The client to import into; the archive's own client id when left out. */
  into?: string;
}

export interface ImportResult {
  client: string;
  /** False when the archive went into an existing empty client. */
  created: boolean;
  header: HeaderRecord;
  counts: ArchiveCounts;
}

/**
 * Imports the archive on `input`. The target must not exist or have no entries and no logs.
 * Raises DBUS_EXP_NOT_ARCHIVE, DBUS_EXP_VERSION, DBUS_EXP_BAD_RECORD (naming the record),
 * DBUS_EXP_TRUNCATED, DBUS_EXP_TARGET_NOT_EMPTY, DBUS_CFG_BAD_CLIENT_ID, storage errors. When it
 * raises after writing, a client it created is deleted again; in an existing client the entries it
 * seated are deleted (its config, files and logs stay, as the error says nothing about them).
 */
export async function importClient(
  db: Database,
  input: ReadableStream<Uint8Array>,
  options: ImportOptions = {},
  onProgress: OnProgress = () => {},
): Promise<ImportResult> {
  const lines = readLines(input);
  try {
    const header = parseHeader(await firstLine(lines));
    const client = options.into ?? header.client;
    if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
    const exists = (await db.listClients()).includes(client);
    if (exists) await assertImportTarget(db, client);
    const progress: TransferProgress = {
      phase: "config",
      entries: { done: 0, total: header.counts.entries },
      logs: { done: 0, total: header.counts.logs },
    };
    onProgress(progress);
    const importer = new Importer(db, client, exists, progress, onProgress);
    try {
      const counts = await importer.run(lines);
      progress.phase = "done";
      onProgress(progress);
      return { client, created: !exists, header, counts };
    } catch (e) {
      await importer.rollback();
      throw e;
    }
  } finally {
    await lines.return(undefined);
  }
}

/** Reads only the header: what the console shows before it starts a job (client id, counts). */
export async function readArchiveHeader(input: ReadableStream<Uint8Array>): Promise<HeaderRecord> {
  const lines = readLines(input);
  try {
    return parseHeader(await firstLine(lines));
  } finally {
    await lines.return(undefined);
  }
}

async function firstLine(lines: AsyncGenerator<Line>): Promise<Line> {
  const first = await lines.next();
  if (first.done) throw new DatabusError("DBUS_EXP_NOT_ARCHIVE", { reason: "it is empty" });
  return first.value;
}

/** Raises DBUS_EXP_TARGET_NOT_EMPTY when an existing client has entries or logs; a missing client is fine. */
export async function assertImportTarget(db: Database, client: string): Promise<void> {
  if (!(await db.listClients()).includes(client)) return;
  const byState = await db.countEntries(client);
  const entries = Object.values(byState).reduce((a, b) => a + b, 0);
  const logs = (await db.listLogs(client, {}, { offset: 0, limit: 1 })).total;
  if (entries > 0 || logs > 0) throw new DatabusError("DBUS_EXP_TARGET_NOT_EMPTY", { client, entries, logs });
}
