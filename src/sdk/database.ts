/**
 * The Database contract: every storage engine (json, sqlite, mssql, a custom plugin) extends this
 * class and passes `test/contract/database.contract.ts`. Methods speak the domain, never the datastore.
 *
 * @remarks
 * - Durability: every method that changes something resolves only after the change is durable
 *   (fsync'd, committed). A crash at any instant leaves either the old or the new state.
 * - Errors: engines raise catalogue codes, never their own messages: DBUS_CFG_CLIENT_NOT_FOUND,
 *   DBUS_Q_ENTRY_NOT_FOUND, DBUS_Q_ACTION_NOT_ALLOWED, DBUS_STO_DISK_FULL, DBUS_STO_WRITE_FAILED.
 * - Not part of the contract: connections, transactions, paths. Callers never see how data is kept.
 * - Client ids are validated by the caller with `isClientId`; engines validate again before use.
 */
import type { LogEntry, Log, LogHeader, LogLevel, LogOrigin, RunCounts } from "../core/log";
import type { Attachment, AttachmentInfo, PassengerData } from "../core/passenger";
import type { EntryState, QueueEntry } from "../core/queue-entry";
import { applyStepAction, type StepChange, type StepStatus } from "../core/step-status";
import type { User } from "../core/users";

export interface OpenOptions {
  readOnly?: boolean;
}

/** Whether the store answers now: /readyz, the System page and the console's 503 page show it. */
export interface StorageStatus {
  ready: boolean;
  /** One line in the reader's words ("ready", "connecting to db:1433/databus, attempt 3: …"); never a secret. */
  text: string;
  /** Since when (ISO) the store has been in this state, when the engine knows. */
  since?: string;
}

export interface ConfigBackup {
  id: string;
  at: string;
}

/** A passenger to seat, with the steps it starts with. */
export interface SeatRequest {
  passenger: PassengerData;
  steps: StepStatus[];
  /**
   * Only for import (storage/transfer): the entry keeps the times it had where it was exported.
   * Left out, the entry is seated now, and `completed_at` is now when its steps are already complete.
   */
  seated_at?: string;
  completed_at?: string | null;
}

/** One step change of `updateSteps`. */
export interface StepUpdate {
  id: string;
  stepIndex: number;
  change: StepChange;
  /**
   * New payload and attachments (as `updatePassenger` takes them), written together with the step
   * change: a processor's changes and its success are one change, so a crash keeps both or neither.
   */
  passenger?: { payload: unknown; attachments: Attachment[] };
}

export interface SeatResult {
  /** Entries created, in request order. */
  seated: QueueEntry[];
  /** Requests skipped because `(source_system, external_id)` is already in the queue. */
  duplicates: SeatRequest[];
}

export interface EntryFilter {
  definition?: string;
  state?: EntryState;
  /** Case-insensitive substring of external id or source system. */
  text?: string;
}

export interface EntryPage {
  total: number;
  entries: QueueEntry[];
}

export type EntrySort = "seated_at" | "-seated_at";

export interface LogFilter {
  origin?: LogOrigin;
  definition?: string;
  /** Logs that started at or after this time (ISO). */
  since?: string;
  /** Logs whose worst level is at least this. */
  level?: LogLevel;
}

export interface NewLog {
  id: string;
  origin: LogOrigin;
  at: string;
  title: string;
  definition: string | null;
  /** The instance that runs it (host:pid or --instance); left out for console logs. */
  instance?: string | null;
}

export interface Page {
  offset: number;
  limit: number;
}

export abstract class Database {
  /** `json`, `sqlite`, `mssql` or the plugin name. */
  abstract readonly engine: string;

  /**
   * Prepares the store (creates folders or tables, takes the lock, rebuilds indexes). Called once.
   * With `readOnly` (for `databus check` beside a running instance) it takes no lock and writes nothing.
   */
  abstract open(options?: OpenOptions): Promise<void>;
  /** Releases the store; pending changes are durable when it resolves. */
  abstract close(): Promise<void>;

  /**
   * Whether the store answers now. Engines that connect to a server (mssql) override it to report
   * "connecting" with their last error while `open()` is still retrying; local engines keep this default.
   */
  status(): StorageStatus {
    return { ready: true, text: "ready" };
  }

  // ── Clients and configs ────────────────────────────────────────────────────────────────────

  /** Client ids, sorted. */
  abstract listClients(): Promise<string[]>;
  /** Creates a client with this config text. Raises DBUS_CFG_CLIENT_EXISTS. */
  abstract createClient(client: string, configText: string): Promise<void>;
  /** Deletes a client and everything it owns (queue, logs, state). Other clients are untouched. */
  abstract deleteClient(client: string): Promise<void>;
  /** The config text exactly as stored. Raises DBUS_CFG_CLIENT_NOT_FOUND. */
  abstract readConfig(client: string): Promise<string>;
  /** Replaces the config text; the previous text becomes a backup first. */
  abstract writeConfig(client: string, text: string): Promise<void>;
  /** Backups of the config, newest first. */
  abstract listConfigBackups(client: string): Promise<ConfigBackup[]>;
  abstract readConfigBackup(client: string, backupId: string): Promise<string>;
  /** The client's external config files that drivers read (`ctx.files`), by name. */
  abstract listClientFiles(client: string): Promise<string[]>;
  /** The text of a file, or undefined when there is none. */
  abstract readClientFile(client: string, name: string): Promise<string | undefined>;
  abstract writeClientFile(client: string, name: string, text: string): Promise<void>;

  // ── Users ──────────────────────────────────────────────────────────────────────────────────
  // Users are part of the client's config (config.json `users[]`); these methods read and edit them
  // there so the file stays the one source. Plain-text passwords are hashed when a config is read.

  abstract listUsers(client: string): Promise<User[]>;
  /** Adds or replaces a user. */
  abstract putUser(client: string, user: User): Promise<void>;
  abstract deleteUser(client: string, username: string): Promise<void>;

  // ── Queue ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Seats passengers, skipping any whose `(source_system, external_id)` the client's queue
   * already holds (in any state, until purged) or that repeats an earlier request of this call.
   * Passenger, attachments and steps are durable before it resolves.
   */
  abstract seat(client: string, requests: SeatRequest[]): Promise<SeatResult>;
  /** One entry with its attachment list, or undefined. */
  abstract getEntry(client: string, id: string): Promise<QueueEntry | undefined>;
  /** The full passenger with attachment contents. Raises DBUS_Q_ENTRY_NOT_FOUND. */
  abstract getPassenger(client: string, id: string): Promise<PassengerData>;
  abstract readAttachment(client: string, id: string, name: string): Promise<Attachment | undefined>;
  /** Newest first by default. Served from an index: fast with hundreds of thousands of entries. */
  abstract listEntries(client: string, filter: EntryFilter, page: Page, sort?: EntrySort): Promise<EntryPage>;
  abstract countEntries(client: string, definition?: string): Promise<Record<EntryState, number>>;
  /**
   * Ids of entries of a definition with a step due at `nowIso` (pending, or failed with its next
   * attempt due), oldest first.
   */
  abstract listDue(client: string, definition: string, nowIso: string, limit: number): Promise<string[]>;
  /**
   * Applies one step change atomically, checking the transition table (core/step-status.ts);
   * raises DBUS_Q_ACTION_NOT_ALLOWED when the step moved meanwhile, DBUS_Q_ENTRY_NOT_FOUND.
   * Sets `completed_at` when the entry becomes complete. Returns the updated entry.
   */
  abstract updateStep(client: string, id: string, stepIndex: number, change: StepChange): Promise<QueueEntry>;
  /**
   * Several step changes, each applied as `updateStep` would (after `updatePassenger` when it carries
   * a passenger), in order: two changes to one entry apply one after the other. Each gets its own
   * result: the updated entry, or the error that change alone raised (DBUS_Q_ACTION_NOT_ALLOWED,
   * DBUS_Q_ENTRY_NOT_FOUND); a store failure (disk full) fails every change it did not make durable.
   * Resolves when every change is durable.
   *
   * The dispatcher records a run's outcomes through this: an engine that makes the whole call one
   * commit (one fsync) moves far more passengers a second. This default calls `updatePassenger` and
   * `updateStep` for each, one after the other, checking the step change first so a refused one
   * leaves the passenger alone; it is not one transaction (a change racing in between can still
   * refuse the step after the passenger was written), so an engine that can should override it.
   */
  async updateSteps(client: string, updates: StepUpdate[]): Promise<Array<QueueEntry | Error>> {
    const results: Array<QueueEntry | Error> = [];
    for (const u of updates) {
      const one = async () => {
        if (u.passenger) {
          const step = (await this.getEntry(client, u.id))?.steps[u.stepIndex];
          if (step) applyStepAction(step, u.change, u.id); // throws DBUS_Q_ACTION_NOT_ALLOWED, writing nothing
          await this.updatePassenger(client, u.id, u.passenger.payload, u.passenger.attachments);
        }
        return this.updateStep(client, u.id, u.stepIndex, u.change);
      };
      results.push(await one().catch(toError));
    }
    return results;
  }
  /** Replaces payload and attachments after a processor changed them. */
  abstract updatePassenger(client: string, id: string, payload: unknown, attachments: Attachment[]): Promise<void>;
  /** Adds a log id to the passenger's `log_ids`, so its page links the runs that touched it. */
  abstract linkLog(client: string, id: string, logId: string): Promise<void>;
  abstract deleteEntry(client: string, id: string): Promise<void>;
  /** Deletes complete entries of a definition completed before `beforeIso`; returns how many. */
  abstract purgeCompleted(client: string, definition: string, beforeIso: string): Promise<number>;

  // ── Logs ───────────────────────────────────────────────────────────────────────────────────

  abstract createLog(client: string, log: NewLog): Promise<void>;
  /** Appends entries (durable before it resolves); the log's worst level follows. */
  abstract appendLog(client: string, logId: string, entries: LogEntry[]): Promise<void>;
  /** Records that a run finished and what it did (durable before it resolves). */
  abstract finishLog(client: string, logId: string, finishedAt: string, counts: RunCounts): Promise<void>;
  abstract readLog(client: string, logId: string): Promise<Log | undefined>;
  /** Newest first. */
  abstract listLogs(client: string, filter: LogFilter, page: Page): Promise<{ total: number; logs: LogHeader[] }>;
  /** Deletes logs and config backups older than `beforeIso`; returns how many logs. */
  abstract purgeLogs(client: string, beforeIso: string): Promise<number>;

  // ── Plugin state ───────────────────────────────────────────────────────────────────────────

  abstract getState(client: string, driver: string, key: string): Promise<unknown>;
  /**
   * `undefined` deletes the key. Durable before it resolves. `driver` is a plugin name; names under
   * `databus/` are reserved for Databus itself: the console keeps its remember-me tokens under
   * `databus/console` (key `remember:<username>`, a list of `{id, hash, expires_at, created_at}`
   * holding only a SHA-256 of each token). Deleting the client deletes its state with it.
   */
  abstract setState(client: string, driver: string, key: string, value: unknown): Promise<void>;

  // ── Runs across instances ──────────────────────────────────────────────────────────────────
  // Several Databus instances may share one relational database. A run of a client passenger is
  // claimed with a lease (instance, expiry, token) so it runs on one instance at a time; an instance
  // that dies loses its leases when they expire. Engines that one instance owns alone (json) keep
  // these defaults: every claim is granted.

  /** True when several instances may use this engine's storage at once (then leases are real). */
  get sharedByInstances(): boolean {
    return false;
  }

  /**
   * Claims the run of `definition` for `instance` until `now + ttlMs`. Returns a token, or null when
   * another instance holds an unexpired lease (the caller then leaves the run to it). An expired
   * lease may be taken over. Atomic: two instances claiming at once never both get a token.
   */
  async claimRun(_client: string, _definition: string, _instance: string, _nowIso: string, _ttlMs: number): Promise<string | null> {
    return "local";
  }

  /** Extends a held lease; false when it was lost (expired and taken over), and the run must stop. */
  async renewRun(_client: string, _definition: string, _token: string, _nowIso: string, _ttlMs: number): Promise<boolean> {
    return true;
  }

  /** Gives a lease up at the end of a run; a token that no longer holds the lease is ignored. */
  async releaseRun(_client: string, _definition: string, _token: string): Promise<void> {}
}

export type { AttachmentInfo };

const toError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
