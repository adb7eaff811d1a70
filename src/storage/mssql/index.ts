/**
 * The mssql engine: `createMssqlDatabase(connectionString)` wires session, clients, users, queue, logs,
 * plugin state and leases into the Database contract. No logic here; see the files it wires.
 */
import { systemClock, type Clock } from "../../core/clock";
import type { LogEntry, Log, LogHeader, RunCounts } from "../../core/log";
import type { Attachment, PassengerData } from "../../core/passenger";
import type { EntryState, QueueEntry } from "../../core/queue-entry";
import type { StepChange } from "../../core/step-status";
import type { User } from "../../core/users";
import {
  Database,
  type ConfigBackup,
  type EntryFilter,
  type EntryPage,
  type EntrySort,
  type LogFilter,
  type NewLog,
  type OpenOptions,
  type Page,
  type SeatRequest,
  type SeatResult,
  type StepUpdate,
  type StorageStatus,
} from "../database";
import { Clients } from "./clients";
import { Leases } from "./leases";
import { Logs } from "./logs";
import { listAppliedMigrations, MIGRATIONS } from "./migrate";
import { PluginState } from "./plugin-state";
import { Queue } from "./queue";
import { Session, type MssqlStatus, type RetryOptions } from "./session";
import { describeStatus } from "./status";

export type { MssqlStatus } from "./session";
export { redactConnectionString } from "./connection";

export interface MssqlDatabaseOptions {
  clock?: Clock;
  /** One connection attempt (default 15 s). */
  connectTimeoutMs?: number;
  /** One statement (default 30 s). */
  requestTimeoutMs?: number;
  /** Backoff while the server is down at start (default 1 s doubling to 30 s, forever). */
  retry?: RetryOptions;
  /** This instance's id, recorded on the entries it changes (leases get theirs from the dispatcher). */
  instanceId?: string;
}

export class MssqlDatabase extends Database {
  readonly engine = "mssql";
  private leases: Leases;
  private session: Session;
  private clients: Clients;
  private queue: Queue;
  private logs: Logs;
  private state: PluginState;

  /** Raises DBUS_STO_BAD_URL at once for a connection string that cannot be parsed. */
  constructor(connectionString: string, options: MssqlDatabaseOptions = {}) {
    super();
    const clock = options.clock ?? systemClock;
    const instanceId = options.instanceId ?? crypto.randomUUID();
    this.session = new Session(connectionString, { ...options, now: () => clock.now() });
    this.clients = new Clients(this.session, clock);
    this.queue = new Queue(this.session, clock, instanceId);
    this.logs = new Logs(this.session);
    this.state = new PluginState(this.session);
    this.leases = new Leases(this.session);
  }

  /**
   * Connects and applies pending migrations, retrying with backoff until the server answers (watch
   * `status()` meanwhile). With `readOnly` (`databus check`) it tries once, migrates nothing, and raises.
   */
  async open(options: OpenOptions = {}): Promise<void> {
    await this.session.connect({ migrate: !options.readOnly, once: options.readOnly === true });
  }

  close = (): Promise<void> => this.session.close();

  /** The connection in detail: connecting (with the last error and next attempt), ready or closed. */
  connectionStatus = (): MssqlStatus => this.session.status();
  isReady = (): boolean => this.session.status().state === "ready";

  /** `host:port/database`, for messages; never the password. */
  get host(): string {
    return this.session.target.host;
  }

  /** For `databus check`: the migrations the database records and those this build brings. */
  async schemaMigrations(): Promise<{ applied: string[]; known: string[] }> {
    const applied = await this.session.run((db) => listAppliedMigrations(db));
    return { applied: [...applied].sort(), known: MIGRATIONS.map((m) => m.name) };
  }

  /** For /readyz and the System page: the connection status as one line without the password. */
  override status(): StorageStatus {
    return describeStatus(this.session.status());
  }

  // Clients and configs
  listClients = (): Promise<string[]> => this.clients.list();
  createClient = (client: string, configText: string): Promise<void> => this.clients.create(client, configText);
  deleteClient = (client: string): Promise<void> => this.clients.delete(client);
  readConfig = (client: string): Promise<string> => this.clients.readConfig(client);
  writeConfig = (client: string, text: string): Promise<void> => this.clients.writeConfig(client, text);
  listConfigBackups = (client: string): Promise<ConfigBackup[]> => this.clients.listBackups(client);
  readConfigBackup = (client: string, backupId: string): Promise<string> => this.clients.readBackup(client, backupId);
  listClientFiles = (client: string): Promise<string[]> => this.clients.listFiles(client);
  readClientFile = (client: string, name: string): Promise<string | undefined> => this.clients.readFile(client, name);
  writeClientFile = (client: string, name: string, text: string): Promise<void> => this.clients.writeFile(client, name, text);

  // Users (inside the config text)
  listUsers = (client: string): Promise<User[]> => this.clients.listUsers(client);
  putUser = (client: string, user: User): Promise<void> => this.clients.putUser(client, user);
  deleteUser = (client: string, username: string): Promise<void> => this.clients.deleteUser(client, username);

  // Queue
  seat = (client: string, requests: SeatRequest[]): Promise<SeatResult> => this.queue.seat(client, requests);
  getEntry = (client: string, id: string): Promise<QueueEntry | undefined> => this.queue.getEntry(client, id);
  getPassenger = (client: string, id: string): Promise<PassengerData> => this.queue.getPassenger(client, id);
  readAttachment = (client: string, id: string, name: string): Promise<Attachment | undefined> => this.queue.readAttachment(client, id, name);
  listEntries = (client: string, filter: EntryFilter, page: Page, sort?: EntrySort): Promise<EntryPage> =>
    this.queue.listEntries(client, filter, page, sort);
  countEntries = (client: string, definition?: string): Promise<Record<EntryState, number>> => this.queue.countEntries(client, definition);
  listDue = (client: string, definition: string, nowIso: string, limit: number): Promise<string[]> =>
    this.queue.listDue(client, definition, nowIso, limit);
  updateStep = (client: string, id: string, stepIndex: number, change: StepChange): Promise<QueueEntry> =>
    this.queue.updateStep(client, id, stepIndex, change);
  override updateSteps = (client: string, updates: StepUpdate[]): Promise<Array<QueueEntry | Error>> => this.queue.updateSteps(client, updates);
  updatePassenger = (client: string, id: string, payload: unknown, attachments: Attachment[]): Promise<void> =>
    this.queue.updatePassenger(client, id, payload, attachments);
  linkLog = (client: string, id: string, logId: string): Promise<void> => this.queue.linkLog(client, id, logId);
  deleteEntry = (client: string, id: string): Promise<void> => this.queue.deleteEntry(client, id);
  purgeCompleted = (client: string, definition: string, beforeIso: string): Promise<number> =>
    this.queue.purgeCompleted(client, definition, beforeIso);

  // Logs
  createLog = (client: string, log: NewLog): Promise<void> => this.logs.create(client, log);
  appendLog = (client: string, logId: string, entries: LogEntry[]): Promise<void> => this.logs.append(client, logId, entries);
  finishLog = (client: string, logId: string, finishedAt: string, counts: RunCounts): Promise<void> =>
    this.logs.finish(client, logId, finishedAt, counts);
  readLog = (client: string, logId: string): Promise<Log | undefined> => this.logs.read(client, logId);
  listLogs = (client: string, filter: LogFilter, page: Page): Promise<{ total: number; logs: LogHeader[] }> => this.logs.list(client, filter, page);
  purgeLogs = async (client: string, beforeIso: string): Promise<number> => {
    const count = await this.logs.purge(client, beforeIso);
    await this.clients.purgeBackups(client, beforeIso);
    return count;
  };

  // Runs across instances: SQL Server is shared, so leases are real (queries/leases.ts)
  override get sharedByInstances(): boolean {
    return true;
  }
  override claimRun = (client: string, definition: string, instance: string, nowIso: string, ttlMs: number): Promise<string | null> =>
    this.leases.claim(client, definition, instance, nowIso, ttlMs);
  override renewRun = (client: string, definition: string, token: string, nowIso: string, ttlMs: number): Promise<boolean> =>
    this.leases.renew(client, definition, token, nowIso, ttlMs);
  override releaseRun = (client: string, definition: string, token: string): Promise<void> => this.leases.release(client, definition, token);

  // Plugin state
  getState = (client: string, driver: string, key: string): Promise<unknown> => this.state.get(client, driver, key);
  setState = (client: string, driver: string, key: string, value: unknown): Promise<void> => this.state.set(client, driver, key, value);
}

/** The SQL Server engine (`--engine mssql --mssql-url …`). Nothing connects until `open()`. */
export function createMssqlDatabase(connectionString: string, options?: MssqlDatabaseOptions): MssqlDatabase {
  return new MssqlDatabase(connectionString, options);
}
