/**
 * The json engine: `createJsonDatabase(dataDir)` wires the parts (layout, lock, clients, users,
 * queue, logs, plugin state) into the Database contract. No logic here; see the files it wires.
 */
import { mkdir } from "node:fs/promises";
import { iso, systemClock, type Clock } from "../../core/clock";
import { DatabusError } from "../../core/errors";
import type { LogEntry, Log, LogHeader, RunCounts } from "../../core/log";
import type { Attachment, PassengerData } from "../../core/passenger";
import type { EntryState, QueueEntry } from "../../core/queue-entry";
import type { StepChange } from "../../core/step-status";
import type { User } from "../../core/users";
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
  type StorageStatus,
} from "../database";
import { Clients } from "./clients";
import { sweepTemps, writeFailure } from "./files";
import { Layout } from "./layout";
import { Journal, type JournalOptions } from "./journal";
import { readSnapshot, touchedEntries } from "./queue-snapshot";
import { acquireLock, releaseLock } from "./lock";
import { Logs } from "./logs";
import { PluginState } from "./plugin-state";
import { checkClientFiles } from "./quarantine";
import { Queue } from "./queue";
import { Serial } from "./serial";
import { Users } from "./users";

export interface JsonDatabaseOptions {
  clock?: Clock;
  /** Group commit tuning; tests inject `sync` to count fsyncs. */
  journal?: Partial<JournalOptions>;
  /** Where open() reports DBUS_WRN_STO_RECOVERED; default: one line on stderr. */
  onWarning?: (warning: DatabusError) => void;
  /** Entry folders read per turn when open() rebuilds an index (queue-index.ts REBUILD_SLICE; tests take fewer). */
  rebuildSlice?: number;
}

/** When open() of a large queue collects its garbage: within a second of the start, not during it. */
const COLLECT_AFTER_OPEN_MS = 1000;

const printWarning = (w: DatabusError): void => console.warn(`${w.code}: ${w.message}`);

export class JsonDatabase extends Database {
  readonly engine = "json";
  private layout: Layout;
  private serial = new Serial();
  private clients: Clients;
  private users: Users;
  private queue: Queue;
  private logs: Logs;
  private state: PluginState;
  private opened = false;
  /** What open() is doing, while it runs (status()). */
  private opening: string | undefined;
  private clock: Clock;
  private journal: Journal;
  private onWarning: (warning: DatabusError) => void;
  private rebuildSlice: number | undefined;

  constructor(dataDir: string, options: JsonDatabaseOptions = {}) {
    super();
    const clock = (this.clock = options.clock ?? systemClock);
    this.layout = new Layout(dataDir);
    // The queue's index snapshot is saved before a checkpoint deletes its journals (queue-snapshot.ts).
    this.journal = new Journal(dataDir, this.layout.journalFile, { ...options.journal, beforeRetire: () => this.queue.saveSnapshot() });
    this.onWarning = options.onWarning ?? printWarning;
    this.rebuildSlice = options.rebuildSlice;
    this.clients = new Clients(this.layout, clock, this.serial);
    this.users = new Users(this.clients);
    this.queue = new Queue(this.layout, clock, this.clients, this.serial, this.journal);
    this.logs = new Logs(this.layout, this.clients, this.serial, clock, this.journal);
    this.state = new PluginState(this.layout, this.clients, this.serial, this.journal);
  }

  /** Not ready while open() runs, saying what it is doing (at 200,000 entries without an index snapshot: minutes). */
  override status(): StorageStatus {
    return this.opening === undefined ? super.status() : { ready: false, text: this.opening };
  }

  async open(options: OpenOptions = {}): Promise<void> {
    this.opening = "opening";
    try {
      await this.openStore(options);
    } finally {
      this.opening = undefined;
    }
  }

  private async openStore(options: OpenOptions): Promise<void> {
    if (options.readOnly) {
      // For `databus check` beside a running instance: no lock, no repairs, no queue index.
      await this.clients.load({ readOnly: true });
      return;
    }
    await mkdir(this.layout.clientsDir, { recursive: true }).catch((e) => {
      throw writeFailure(this.layout.clientsDir, e);
    });
    await acquireLock(this.layout.lockFile, this.layout.dataDir);
    this.opened = true;
    await sweepTemps(this.layout.clientsDir);
    // Before anything reads the files: repair them from changes a crash left only in the journal.
    this.opening = "replaying the journal (changes whose files a stop left unwritten)";
    const { replayed, paths } = await this.journal.replayLeft();
    if (replayed > 0) this.onWarning(new DatabusError("DBUS_WRN_STO_RECOVERED", { count: replayed }));
    const snapshot = await readSnapshot(this.layout.dataDir);
    const touched = touchedEntries(paths);
    let rebuilt = snapshot === undefined;
    // The self-check: damaged entries and files go to quarantine with a log entry; the start goes on.
    // (The index snapshot stands in for reading every entry: see queue-snapshot.ts.)
    for (const client of await this.clients.load()) {
      this.opening = `loading the queue of client ${client}`;
      const queue = await this.queue.load(client, snapshot?.get(client), touched.get(client), {
        slice: this.rebuildSlice,
        progress: (read, total) => {
          this.opening = `no index snapshot: reading the entry folders of client ${client}, ${read.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`;
        },
      });
      rebuilt ||= queue.rebuilt;
      const moved = [...queue.quarantined, ...(await checkClientFiles(this.layout, client, iso(this.clock.now())))];
      await this.logs.recordSelfCheck(client, moved);
    }
    // Before the replayed journals go, the snapshot must hold what they changed in the queue (and what a
    // rebuild found). A replay of log and state writes alone leaves it current (a save costs ~0.2 s at 200,000).
    if (rebuilt || touched.size > 0) await this.queue.saveSnapshot();
    await this.journal.startAppending();
    // Building the indexes (or parsing the snapshot) leaves tens of MB of garbage at 200,000 entries:
    // collect it soon, so an idle server does not hold it for minutes, but after the start (a full
    // collection then costs ~0.2 s, and the console and dispatcher need not wait for it).
    if (this.queue.size > 10_000) setTimeout(() => Bun.gc(true), COLLECT_AFTER_OPEN_MS).unref();
  }

  async close(): Promise<void> {
    await this.serial.idle();
    try {
      // Its last checkpoint saves the index snapshot if anything changed since the last one.
      await this.journal.close();
    } finally {
      // Also when that failed (disk full): the journal keeps every change for the next open, and a
      // lock left behind would refuse it until this process is gone.
      if (this.opened) await releaseLock(this.layout.lockFile);
      this.opened = false;
    }
  }

  // Clients and configs
  listClients = async (): Promise<string[]> => this.clients.list();
  createClient = (client: string, configText: string): Promise<void> => this.clients.create(client, configText);
  deleteClient = async (client: string): Promise<void> => {
    // Files are written behind: write this client's pending ones first, or they would bring its folder back.
    await this.journal.checkpoint();
    await this.clients.delete(client);
    // Empties the journal, so a replay can never write this client's old files into a new one of the same id.
    await this.journal.checkpoint();
    this.queue.forget(client);
    this.logs.forget(client);
  };
  readConfig = (client: string): Promise<string> => this.clients.readConfig(client);
  writeConfig = (client: string, text: string): Promise<void> => this.clients.writeConfig(client, text);
  listConfigBackups = (client: string): Promise<ConfigBackup[]> => this.clients.listBackups(client);
  readConfigBackup = (client: string, backupId: string): Promise<string> => this.clients.readBackup(client, backupId);
  listClientFiles = (client: string): Promise<string[]> => this.clients.listFiles(client);
  readClientFile = (client: string, name: string): Promise<string | undefined> => this.clients.readFile(client, name);
  writeClientFile = (client: string, name: string, text: string): Promise<void> => this.clients.writeFile(client, name, text);

  // Users
  listUsers = (client: string): Promise<User[]> => this.users.list(client);
  putUser = (client: string, user: User): Promise<void> => this.users.put(client, user);
  deleteUser = (client: string, username: string): Promise<void> => this.users.delete(client, username);

  // Queue
  seat = (client: string, requests: SeatRequest[]): Promise<SeatResult> => this.queue.seat(client, requests);
  getEntry = (client: string, id: string): Promise<QueueEntry | undefined> => this.queue.getEntry(client, id);
  getPassenger = (client: string, id: string): Promise<PassengerData> => this.queue.getPassenger(client, id);
  readAttachment = (client: string, id: string, name: string): Promise<Attachment | undefined> =>
    this.queue.readAttachment(client, id, name);
  listEntries = (client: string, filter: EntryFilter, page: Page, sort?: EntrySort): Promise<EntryPage> =>
    this.queue.listEntries(client, filter, page, sort);
  countEntries = (client: string, definition?: string): Promise<Record<EntryState, number>> =>
    this.queue.countEntries(client, definition);
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
  listLogs = (client: string, filter: LogFilter, page: Page): Promise<{ total: number; logs: LogHeader[] }> =>
    this.logs.list(client, filter, page);
  purgeLogs = async (client: string, beforeIso: string): Promise<number> => {
    const count = await this.logs.purge(client, beforeIso);
    await this.clients.purgeBackups(client, beforeIso);
    return count;
  };

  // Plugin state
  getState = (client: string, driver: string, key: string): Promise<unknown> => this.state.get(client, driver, key);
  setState = (client: string, driver: string, key: string, value: unknown): Promise<void> =>
    this.state.set(client, driver, key, value);
}

/** The default engine. `dataDir` is the `data/` folder itself (e.g. `<home>/data`). */
export function createJsonDatabase(dataDir: string, options?: JsonDatabaseOptions): Database {
  return new JsonDatabase(dataDir, options);
}
