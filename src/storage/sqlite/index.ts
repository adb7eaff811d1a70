/**
 * The sqlite engine: `createSqliteDatabase(file)` wires the parts (connection, migrations, clients,
 * users, queue, logs, plugin state) into the Database contract. No logic here; see the files it wires.
 * Users live in the client's config text, as in the json engine (storage/config-users.ts).
 */
import { iso, systemClock, type Clock } from "../../core/clock";
import { DatabusError } from "../../core/errors";
import type { LogEntry, Log, LogHeader, RunCounts } from "../../core/log";
import type { Attachment, PassengerData } from "../../core/passenger";
import type { EntryState, QueueEntry } from "../../core/queue-entry";
import type { StepChange } from "../../core/step-status";
import type { User } from "../../core/users";
import { usersOf, withoutUser, withUser } from "../config-users";
import {
  Database,
  type ConfigBackup,
  type OpenOptions,
  type EntryFilter,
  type EntryPage,
  type EntrySort,
  type LogFilter,
  type NewLog,
  type Page,
  type SeatRequest,
  type SeatResult,
  type StepUpdate,
} from "../database";
import { Clients } from "./clients";
import { Connection } from "./connection";
import { Leases } from "./leases";
import { Logs } from "./logs";
import { appliedMigrations, applyMigrations, MIGRATIONS } from "./migrate";
import { PluginState } from "./plugin-state";
import { Queue } from "./queue";
import { QueueReads } from "./queue-reads";
import { RowCache } from "./row-cache";
import type { Datasync } from "./wal-sync";

export interface SqliteDatabaseOptions {
  clock?: Clock;
  /** How the WAL is made durable (wal-sync.ts); tests give one they can hold back. */
  datasync?: Datasync;
}

interface Parts {
  conn: Connection;
  leases: Leases;
  clients: Clients;
  reads: QueueReads;
  queue: Queue;
  logs: Logs;
  state: PluginState;
}

export class SqliteDatabase extends Database {
  readonly engine = "sqlite";
  private parts: Parts | undefined;
  private clock: Clock;

  constructor(
    readonly file: string,
    private readonly options: SqliteDatabaseOptions = {},
  ) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  /** Opens the file and applies missing migrations. With `readOnly`, opens it read-only and migrates nothing. */
  async open(options: OpenOptions = {}): Promise<void> {
    const conn = new Connection(this.file, { readOnly: options.readOnly, datasync: this.options.datasync });
    try {
      if (!options.readOnly) conn.guard(() => applyMigrations(conn.client, () => iso(this.clock.now())));
      await conn.durable();
    } catch (e) {
      await conn.close();
      throw e;
    }
    const clients = new Clients(conn, this.clock);
    const rows = new RowCache(conn);
    const reads = new QueueReads(conn, rows);
    this.parts = { conn, leases: new Leases(conn), clients, reads, queue: new Queue(conn, this.clock, clients, reads, rows), logs: new Logs(conn, clients), state: new PluginState(conn, clients) };
  }

  async close(): Promise<void> {
    const parts = this.parts;
    this.parts = undefined;
    if (!parts) return;
    await parts.clients.locks.idle();
    await parts.conn.close();
  }

  /** For `databus check`: the migrations the file records and those this build brings, oldest first. */
  async schemaMigrations(): Promise<{ applied: string[]; known: string[] }> {
    const conn = this.p.conn;
    return { applied: conn.guard(() => appliedMigrations(conn.client)), known: MIGRATIONS.map((m) => m.name) };
  }

  private get p(): Parts {
    if (!this.parts) throw new Error("the sqlite engine is not open; call open() first");
    return this.parts;
  }

  /**
   * The result of a write, once its commit is on the disk (wal-sync.ts): every write method below
   * goes through here, and test/unit/storage/sqlite/durable-writes.test.ts holds each one back to check.
   */
  private async durably<T>(write: () => T | Promise<T>): Promise<T> {
    const conn = this.p.conn;
    const result = await write();
    await conn.durable();
    return result;
  }

  // Runs across instances: several instances on one machine may share the file.
  override get sharedByInstances(): boolean {
    return true;
  }
  override claimRun = (client: string, definition: string, instance: string, nowIso: string, ttlMs: number): Promise<string | null> =>
    this.durably(() => this.p.leases.claim(`${client}/${definition}`, instance, nowIso, iso(Date.parse(nowIso) + ttlMs)));
  override renewRun = (client: string, definition: string, token: string, nowIso: string, ttlMs: number): Promise<boolean> =>
    this.durably(() => this.p.leases.renew(`${client}/${definition}`, token, iso(Date.parse(nowIso) + ttlMs)));
  override releaseRun = (client: string, definition: string, token: string): Promise<void> =>
    this.durably(() => this.p.leases.release(`${client}/${definition}`, token));

  // Clients and configs
  listClients = async (): Promise<string[]> => this.p.clients.list();
  createClient = (client: string, configText: string): Promise<void> => this.durably(() => this.p.clients.create(client, configText));
  deleteClient = (client: string): Promise<void> =>
    this.durably(() => {
      this.p.clients.delete(client);
      this.p.queue.forgetRows(); // its entries went with it (foreign keys)
    });
  readConfig = async (client: string): Promise<string> => this.p.clients.readConfig(client);
  writeConfig = (client: string, text: string): Promise<void> => this.durably(() => this.p.clients.writeConfig(client, text));
  listConfigBackups = async (client: string): Promise<ConfigBackup[]> => this.p.clients.listBackups(client);
  readConfigBackup = async (client: string, backupId: string): Promise<string> => this.p.clients.readBackup(client, backupId);
  listClientFiles = async (client: string): Promise<string[]> => this.p.clients.listFiles(client);
  readClientFile = async (client: string, name: string): Promise<string | undefined> => this.p.clients.readFile(client, name);
  writeClientFile = (client: string, name: string, text: string): Promise<void> => this.durably(() => this.p.clients.writeFile(client, name, text));

  // Users (inside the config text; plain passwords still there are hashed away first)
  listUsers = async (client: string): Promise<User[]> => {
    await this.durably(() => this.p.clients.hashStoredPasswords(client));
    return usersOf(client, this.p.clients.readConfig(client));
  };
  putUser = (client: string, user: User): Promise<void> => this.durably(() => this.p.clients.editConfig(client, (text) => withUser(client, text, user)));
  deleteUser = (client: string, username: string): Promise<void> =>
    this.durably(() => this.p.clients.editConfig(client, (text) => withoutUser(client, text, username)));

  // Queue
  seat = (client: string, requests: SeatRequest[]): Promise<SeatResult> => this.durably(() => this.p.queue.seat(client, requests));
  // An entry found proves its client is there (foreign key); only a miss asks which one is missing.
  getEntry = async (client: string, id: string): Promise<QueueEntry | undefined> => {
    const entry = this.p.reads.getEntry(client, id);
    if (!entry) this.p.clients.assertKnown(client);
    return entry;
  };
  getPassenger = async (client: string, id: string): Promise<PassengerData> => {
    const passenger = this.p.reads.getPassenger(client, id);
    if (passenger) return passenger;
    this.p.clients.assertKnown(client);
    throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
  };
  readAttachment = async (client: string, id: string, name: string): Promise<Attachment | undefined> => {
    this.p.clients.assertKnown(client);
    return this.p.reads.readAttachment(client, id, name);
  };
  listEntries = async (client: string, filter: EntryFilter, page: Page, sort?: EntrySort): Promise<EntryPage> => {
    this.p.clients.assertKnown(client);
    return this.p.reads.listEntries(client, filter, page, sort);
  };
  countEntries = async (client: string, definition?: string): Promise<Record<EntryState, number>> => {
    this.p.clients.assertKnown(client);
    return this.p.reads.countEntries(client, definition);
  };
  // The entries a run will act on: another instance's commits among them are made durable first (Connection.durable).
  listDue = async (client: string, definition: string, nowIso: string, limit: number): Promise<string[]> => {
    this.p.clients.assertKnown(client);
    await this.p.conn.durable();
    return this.p.reads.listDue(client, definition, nowIso, limit);
  };
  updateStep = (client: string, id: string, stepIndex: number, change: StepChange): Promise<QueueEntry> =>
    this.durably(() => this.p.queue.updateStep(client, id, stepIndex, change));
  override updateSteps = (client: string, updates: StepUpdate[]): Promise<Array<QueueEntry | Error>> =>
    this.durably(() => this.p.queue.updateSteps(client, updates));
  updatePassenger = (client: string, id: string, payload: unknown, attachments: Attachment[]): Promise<void> =>
    this.durably(() => this.p.queue.updatePassenger(client, id, payload, attachments));
  linkLog = (client: string, id: string, logId: string): Promise<void> => this.durably(() => this.p.queue.linkLog(client, id, logId));
  deleteEntry = (client: string, id: string): Promise<void> => this.durably(() => this.p.queue.deleteEntry(client, id));
  purgeCompleted = (client: string, definition: string, beforeIso: string): Promise<number> =>
    this.durably(() => this.p.queue.purgeCompleted(client, definition, beforeIso));

  // Logs
  createLog = (client: string, log: NewLog): Promise<void> => this.durably(() => this.p.logs.create(client, log));
  appendLog = (client: string, logId: string, entries: LogEntry[]): Promise<void> => this.durably(() => this.p.logs.append(client, logId, entries));
  finishLog = (client: string, logId: string, finishedAt: string, counts: RunCounts): Promise<void> =>
    this.durably(() => this.p.logs.finish(client, logId, finishedAt, counts));
  readLog = async (client: string, logId: string): Promise<Log | undefined> => this.p.logs.read(client, logId);
  listLogs = async (client: string, filter: LogFilter, page: Page): Promise<{ total: number; logs: LogHeader[] }> =>
    this.p.logs.list(client, filter, page);
  purgeLogs = (client: string, beforeIso: string): Promise<number> =>
    this.durably(() => {
      const count = this.p.logs.purge(client, beforeIso);
      this.p.clients.purgeBackups(client, beforeIso);
      return count;
    });

  // Plugin state
  getState = async (client: string, driver: string, key: string): Promise<unknown> => this.p.state.get(client, driver, key);
  setState = (client: string, driver: string, key: string, value: unknown): Promise<void> => this.durably(() => this.p.state.set(client, driver, key, value));
}

/** The embedded relational engine. `file` is the database file (`<home>/data/databus.sqlite`) or ":memory:". */
export function createSqliteDatabase(file: string, options?: SqliteDatabaseOptions): Database {
  return new SqliteDatabase(file, options);
}
