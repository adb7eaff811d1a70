/**
 * The dispatcher: ticks, finds due client passengers, starts runs (one per definition at a time,
 * others concurrently up to a limit), and owns the pause/resume/shutdown state.
 */
import { hostname } from "node:os";
import { iso, type Clock } from "../core/clock";
import { DatabusError, describeError, reasonOf } from "../core/errors";
import { uuidv7 } from "../core/ids";
import { NO_COUNTS } from "../core/log";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../core/retry-policy";
import type { PluginRegistry } from "../plugins/registry";
import type { Database } from "../storage/database";
import type { DispatcherApi, DispatcherState, PeekResult, PluginInfo, RunFinished, RunInfo } from "./api";
import { DispatcherEvents, outcomeOf, watchDeaths } from "./events";
import type { FreeSpace } from "./disk-space";
import { PASSENGER_LIMIT_BYTES } from "./passenger-check";
import { RunLease } from "./lease";
import { peekDefinition } from "./peek";
import { ConfigProblems, WHOLE_CLIENT } from "./problems";
import { ClientLoader, isResolved, type ClientLoad, type ResolvedDefinition } from "./definitions";
import { runPassengerDefinition } from "./run";
import type { Run } from "./run-context";
import { RunLog } from "./run-log";
import { isDue, nextRunMs } from "./schedule";
import { PULL_TIMEOUT_MS, STEP_TIMEOUT_MS } from "./step-runner";

export interface DispatcherOptions {
  db: Database;
  registry: PluginRegistry;
  clock: Clock;
  home: string;
  tickMs: number;
  concurrency: number;
  graceMs: number;
  /** Where problems with configs go; the CLI prints them, tests collect them. */
  report?: (line: string) => void;
  /** Defaults for every definition (settings); a definition may change them. */
  timeouts?: { pullMs: number; stepMs: number };
  retry?: RetryPolicy;
  /** This instance's name in run leases (several instances may share one database). */
  instance?: string;
  leaseTtlMs?: number;
  /** Jitter source; Math.random unless a test fixes it. */
  random?: () => number;
  batchLimit?: number;
  /** Largest passenger a plugin may produce (payload as JSON plus attachments); 64 MB unless a test lowers it. */
  passengerLimitBytes?: number;
  /** Free disk space under the home in percent, for the low-disk warning; statfs unless a test replaces it. */
  freeSpace?: FreeSpace;
}

/** host:pid — unique among the instances sharing a database, and readable in the console. */
const DEFAULT_INSTANCE = `${hostname()}:${process.pid}`;

/** How often one client's old logs and config backups are purged (by the next run that starts after). */
export const LOG_PURGE_EVERY_MS = 10 * 60_000;

const key = (client: string, definition: string) => `${client}\u0000${definition}`;

export class Dispatcher implements DispatcherApi {
  private _state: DispatcherState = "idle";
  private timer: ReturnType<typeof setInterval> | undefined;
  private active = new Map<string, { info: RunInfo; done: Promise<void> }>();
  private lastStarted = new Map<string, number>();
  private lastLogPurge = new Map<string, number>();
  private frequencies = new Map<string, number>();
  private problems: ConfigProblems;
  private abort = new AbortController();
  private ticking: Promise<void> | undefined;
  /** A due run could not start for lack of a slot; the next finished run ticks again. */
  private waiting = false;
  /** The client where the last pass stopped for want of a free slot: a freed slot resumes there. */
  private resumeAt: string | undefined;
  lastTickAt: string | null = null;
  readonly startedAt: string;
  readonly events: DispatcherEvents;
  readonly onRunFinished: DispatcherEvents["onRunFinished"];
  readonly onEntryDead: DispatcherEvents["onEntryDead"];

  private clients: ClientLoader;

  constructor(private o: DispatcherOptions) {
    this.startedAt = iso(o.clock.now());
    this.clients = new ClientLoader(o.db, o.registry);
    this.problems = new ConfigProblems(o.db, o.clock, o.report);
    this.events = new DispatcherEvents(o.report);
    this.onRunFinished = (l) => this.events.onRunFinished(l);
    this.onEntryDead = (l) => this.events.onEntryDead(l);
  }

  get state(): DispatcherState {
    return this._state;
  }

  /** Starts the timer; the first tick runs at once. */
  start(): void {
    if (this._state !== "idle") return;
    this._state = "running";
    this.timer = setInterval(() => void this.tick(), this.o.tickMs);
    void this.tick();
  }

  /**
   * One tick: start every due run. Overlapping ticks are skipped, not queued. `resume` (a slot was
   * freed) goes on from the client where the last pass stopped instead of reading every client again
   * from the first: with 1,000 clients and 8 slots, restarting from the top made each freed slot cost a
   * thousand config reads.
   */
  tick(resume = false): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = this.startDueRuns(resume).finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async startDueRuns(resume: boolean): Promise<void> {
    if (this._state !== "running") return;
    if (!resume) this.lastTickAt = iso(this.o.clock.now());
    this.waiting = false;
    const clients = await this.o.db.listClients();
    this.problems.retain(clients);
    const from = resume && this.resumeAt !== undefined ? Math.max(0, clients.indexOf(this.resumeAt)) : 0;
    this.resumeAt = undefined;
    for (const client of clients.slice(from)) {
      let load: ClientLoad;
      try {
        load = await this.clients.load(client);
      } catch (e) {
        // One unreadable client must not stop the others' runs.
        this.o.report?.(`Client ${client} could not be read: ${reasonOf(e)}`);
        continue;
      }
      for (const def of await this.usableDefinitions(load)) {
        if (this._state !== "running") return;
        if (this.active.size >= this.o.concurrency) {
          this.waiting = true;
          this.resumeAt = client;
          return;
        }
        const k = key(client, def.definition.name);
        this.frequencies.set(k, def.definition.sync_frequency_ms);
        if (this.active.has(k) || !isDue(this.lastStarted.get(k), def.definition.sync_frequency_ms, this.o.clock.now())) continue;
        if (load.ok) this.startRun(load.config, def);
      }
    }
  }

  /** Definitions that can run; the client's problems are recorded (reported and logged once per change). */
  private async usableDefinitions(load: ClientLoad): Promise<ResolvedDefinition[]> {
    const problems = new Map<string, DatabusError>();
    const out: ResolvedDefinition[] = [];
    if (!load.ok) problems.set(WHOLE_CLIENT, load.error);
    else for (const d of load.definitions) isResolved(d) ? out.push(d) : problems.set(d.name, d.error);
    await this.problems.update(load.client, problems);
    return out;
  }

  /** Problems with configs and definitions now, one line each. */
  currentProblems(): string[] {
    return this.problems.current();
  }

  private startRun(config: Run["config"], resolved: ResolvedDefinition): RunInfo {
    const client = config.client;
    const definition = resolved.definition.name;
    const k = key(client, definition);
    const now = this.o.clock.now();
    this.lastStarted.set(k, now);
    const info: RunInfo = { client, definition, started_at: iso(now), log_id: uuidv7(now) };
    const instance = this.o.instance ?? DEFAULT_INSTANCE;
    const log = new RunLog(this.o.db, client, info.log_id, this.o.clock, { id: info.log_id, origin: "run", at: info.started_at, title: `run ${definition}`, definition, instance });
    let lease: RunLease | null = null;
    const run: Run = {
      db: watchDeaths(this.o.db, (entry, i, change) =>
        this.events.entryDead({ client, definition, id: entry.passenger.id, step: `${entry.steps[i]!.kind} ${entry.steps[i]!.name}`, error: change.error ?? null, at: change.at, log_id: info.log_id })),
      clock: this.o.clock,
      home: this.o.home,
      client,
      config,
      resolved,
      log,
      signal: this.abort.signal,
      shouldContinue: () => this._state === "running" && lease?.lost !== true,
      timeouts: { pullMs: PULL_TIMEOUT_MS, stepMs: STEP_TIMEOUT_MS, ...this.o.timeouts, ...resolved.definition.timeouts },
      retry: { ...DEFAULT_RETRY_POLICY, ...this.o.retry, ...resolved.definition.retry },
      random: this.o.random ?? Math.random,
      batchLimit: this.o.batchLimit ?? 1000,
      passengerLimitBytes: this.o.passengerLimitBytes ?? PASSENGER_LIMIT_BYTES,
      freeSpace: this.o.freeSpace,
      counts: { ...NO_COUNTS },
      purgeLogs: this.logPurgeDue(client, now),
    };
    const claimAndRun = async (): Promise<void> => {
      lease = await RunLease.claim(this.o.db, client, definition, instance, this.o.clock, this.o.leaseTtlMs);
      if (!lease) return; // another instance runs this client passenger now
      try {
        await runPassengerDefinition(run);
        this.finished(info, run, outcomeOf(log.worst));
      } finally {
        await lease.release();
      }
    };
    const done = claimAndRun()
      // Reached when the store refuses the run's log (disk full, for one): the console must still hear of it.
      .catch((e) => {
        this.o.report?.(`The run of ${definition} for client ${client} stopped: ${reasonOf(e)}`);
        this.finished(info, run, "aborted");
      })
      .finally(() => {
        this.active.delete(k);
        if (this._state === "pausing" && this.active.size === 0) this._state = "paused";
        // A slot is free: runs that were due but over the concurrency limit start now, not a tick later.
        if (this.waiting && this._state === "running") void this.tick(true);
      });
    this.active.set(k, { info, done });
    return info;
  }

  /**
   * Old logs and backups are purged by at most one run per client every LOG_PURGE_EVERY_MS: their life
   * span is counted in days, and listing a client's backups on each of 3,000 runs a minute costs more
   * than it saves.
   */
  private logPurgeDue(client: string, now: number): boolean {
    const last = this.lastLogPurge.get(client);
    if (last !== undefined && now - last < LOG_PURGE_EVERY_MS && now >= last) return false;
    this.lastLogPurge.set(client, now);
    return true;
  }

  private finished(info: RunInfo, run: Run, outcome: RunFinished["outcome"]): void {
    const now = this.o.clock.now();
    this.events.runFinished({ ...info, finished_at: iso(now), duration_ms: now - Date.parse(info.started_at), outcome, counts: { ...run.counts } });
  }

  running(): RunInfo[] {
    return [...this.active.values()].map((a) => a.info);
  }

  nextRunAt(client: string, definition: string): string | null {
    const f = this.frequencies.get(key(client, definition));
    if (f === undefined || this._state === "stopped") return null;
    return iso(nextRunMs(this.lastStarted.get(key(client, definition)), f, this.o.clock.now()));
  }

  async runNow(client: string, definition: string): Promise<void> {
    if (this._state === "paused" || this._state === "pausing") throw new DatabusError("DBUS_DSP_PAUSED", { action: "start a run" });
    if (this._state === "stopping" || this._state === "stopped") throw new DatabusError("DBUS_DSP_SHUTTING_DOWN", {});
    const { config, resolved } = await this.definition(client, definition);
    if (!this.active.has(key(client, definition))) this.startRun(config, resolved);
  }

  async peek(client: string, definition: string): Promise<PeekResult[]> {
    const { resolved } = await this.definition(client, definition);
    return peekDefinition({ db: this.o.db, clock: this.o.clock, home: this.o.home, signal: this.abort.signal }, client, resolved);
  }

  plugins(): PluginInfo[] {
    return this.o.registry.list().map((r) =>
      r.status === "loaded"
        ? { name: r.name, kind: r.kind, file: r.file, error: null }
        : { name: r.name, kind: "broken", file: r.file, error: describeError(r.error) },
    );
  }

  /** A definition ready to run, or the catalogue error that stops it. */
  private async definition(client: string, definition: string): Promise<{ config: Run["config"]; resolved: ResolvedDefinition }> {
    const load = await this.clients.load(client);
    if (!load.ok) throw load.error;
    const def = load.definitions.find((d) => (isResolved(d) ? d.definition.name : d.name) === definition);
    if (!def) throw new DatabusError("DBUS_DSP_UNKNOWN_DEFINITION", { client, definition });
    if (!isResolved(def)) throw def.error;
    return { config: load.config, resolved: def };
  }

  pause(): void {
    if (this._state !== "running" && this._state !== "idle") return;
    this._state = this.active.size === 0 ? "paused" : "pausing";
  }

  resume(): void {
    if (this._state !== "paused" && this._state !== "pausing") return;
    this._state = "running";
    this.timer ??= setInterval(() => void this.tick(), this.o.tickMs);
  }

  /** Resolves when every run started so far has finished. */
  async idle(): Promise<void> {
    while (this.ticking || this.active.size > 0) {
      await this.ticking;
      await Promise.all([...this.active.values()].map((a) => a.done));
    }
  }

  /** Stops taking work, lets running steps finish up to the grace period, then aborts them. */
  async shutdown(): Promise<void> {
    if (this._state === "stopped") return;
    this._state = "stopping";
    clearInterval(this.timer);
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((r) => (graceTimer = setTimeout(r, this.o.graceMs)));
    await Promise.race([this.idle(), grace]);
    clearTimeout(graceTimer);
    if (this.active.size > 0) {
      this.abort.abort(new DatabusError("DBUS_DSP_SHUTTING_DOWN", {}));
      // Steps see the abort and their timeouts reject at once; give the store a moment to record that.
      await Promise.race([this.idle(), new Promise((r) => setTimeout(r, 2000))]);
    }
    this._state = "stopped";
  }
}
