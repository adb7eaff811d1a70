/**
 * The only place that knows paths under data/. Every id and name is validated here before it becomes
 * part of a path, so raw input never reaches the filesystem.
 *
 *   databus.lock                                  pid of the owning process
 *   journal.jsonl                                 changes not yet checkpointed (journal-ops.ts)
 *   clients/<client>/config.json                  the client config, text as written
 *   clients/<client>/backup/<time>_config.json    previous config texts
 *   clients/<client>/files/<name>                 external config files drivers read
 *   clients/<client>/queue/<entry id>/passenger.json, status.json, attachments/<name>
 *   clients/<client>/log/<time>_<log id>.json
 *   clients/<client>/state/<driver, URI-encoded>.json
 *
 * <time> is an ISO instant with ":" replaced by "-" (file names must be portable): 2024-05-01T12-00-00.000Z.
 */
import { join } from "node:path";
import { DatabusError } from "../../core/errors";
import { isClientId, isDriverName, isUuid } from "../../core/ids";
import { attachmentNameProblem } from "../../core/passenger";

const FILE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2}\.\d{3}Z)$/;
/** Backup ids: a file time, with a counter when two backups fall in the same millisecond. */
const BACKUP_ID = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z)(?:~(\d{1,4}))?$/;
/** Log ids are chosen by callers (UUID v7 in practice); anything path-safe is accepted. */
const LOG_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const CONFIG_FILE = "config.json";
export const PASSENGER_FILE = "passenger.json";
export const STATUS_FILE = "status.json";
const BACKUP_SUFFIX = "_config.json";

/** `2024-05-01T12:00:00.000Z` → `2024-05-01T12-00-00.000Z`; throws on a time that is not an instant. */
export function fileTime(isoTime: string): string {
  const ms = Date.parse(isoTime);
  if (Number.isNaN(ms)) throw new TypeError(`not a time: ${isoTime}`);
  return new Date(ms).toISOString().replaceAll(":", "-");
}

export function isoFromFileTime(s: string): string | undefined {
  const m = FILE_TIME.exec(s);
  return m ? `${m[1]}:${m[2]}:${m[3]}` : undefined;
}

export const isBackupId = (s: string): boolean => BACKUP_ID.test(s);
export const isLogId = (s: string): boolean => LOG_ID.test(s);

export function parseBackupFileName(name: string): { id: string; at: string } | undefined {
  if (!name.endsWith(BACKUP_SUFFIX)) return undefined;
  const id = name.slice(0, -BACKUP_SUFFIX.length);
  const m = BACKUP_ID.exec(id);
  const at = m ? isoFromFileTime(m[1]!) : undefined;
  return at ? { id, at } : undefined;
}

export function parseLogFileName(name: string): { id: string; at: string } | undefined {
  const m = /^([^_]+)_(.+)\.json$/.exec(name);
  if (!m || !isLogId(m[2]!)) return undefined;
  const at = isoFromFileTime(m[1]!);
  return at ? { id: m[2]!, at } : undefined;
}

export class Layout {
  constructor(readonly dataDir: string) {
    this.clientsPath = join(dataDir, "clients");
  }

  get lockFile(): string {
    return join(this.dataDir, "databus.lock");
  }

  get journalFile(): string {
    return join(this.dataDir, "journal.jsonl");
  }

  get clientsDir(): string {
    return this.clientsPath;
  }

  private readonly clientsPath: string;

  // Paths below are joined by hand, not with path.join: the segments are validated names (client ids,
  // UUIDs, fixed file names) with no separators or dots to normalise, and these run on every change.
  clientDir(client: string): string {
    if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
    return `${this.clientsPath}/${client}`;
  }

  configFile(client: string): string {
    return join(this.clientDir(client), CONFIG_FILE);
  }

  backupDir(client: string): string {
    return join(this.clientDir(client), "backup");
  }

  backupFile(client: string, backupId: string): string {
    if (!isBackupId(backupId)) throw new DatabusError("DBUS_CFG_BACKUP_NOT_FOUND", { client, backup: backupId });
    return join(this.backupDir(client), `${backupId}${BACKUP_SUFFIX}`);
  }

  filesDir(client: string): string {
    return join(this.clientDir(client), "files");
  }

  clientFile(client: string, name: string): string {
    const problem = attachmentNameProblem(name);
    if (problem) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "file name", problem: `it ${problem}` });
    return join(this.filesDir(client), name);
  }

  queueDir(client: string): string {
    return `${this.clientDir(client)}/queue`;
  }

  /** An id that is not a UUID cannot name an entry, so it is reported as not found. */
  entryDir(client: string, id: string): string {
    if (!isUuid(id)) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
    return `${this.queueDir(client)}/${id}`;
  }

  passengerFile(client: string, id: string): string {
    return `${this.entryDir(client, id)}/${PASSENGER_FILE}`;
  }

  statusFile(client: string, id: string): string {
    return `${this.entryDir(client, id)}/${STATUS_FILE}`;
  }

  /** Attachment files of an entry folder (also used for the temp folder a seat writes first). */
  attachmentFile(entryDir: string, name: string): string {
    const problem = attachmentNameProblem(name);
    if (problem) throw new DatabusError("DBUS_RUN_BAD_PASSENGER", { name, problem: `an attachment ${problem}` });
    return join(entryDir, "attachments", name);
  }

  logDir(client: string): string {
    return join(this.clientDir(client), "log");
  }

  logFile(client: string, at: string, logId: string): string {
    if (!isLogId(logId)) throw new DatabusError("DBUS_STO_LOG_NOT_FOUND", { client, id: logId });
    return join(this.logDir(client), `${fileTime(at)}_${logId}.json`);
  }

  stateDir(client: string): string {
    return join(this.clientDir(client), "state");
  }

  /** Driver names hold slashes; URI-encoding keeps each one a single, reversible file name. */
  stateFile(client: string, driver: string): string {
    if (!isDriverName(driver)) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "driver", problem: `\`${driver}\` is not a plugin name` });
    return join(this.stateDir(client), `${encodeURIComponent(driver)}.json`);
  }
}
