/**
 * Observers at work: listens to the dispatcher's run events, checks for silent definitions on a
 * timer, and tells each client's observers once per incident and once when it clears. One client's
 * work runs in order (its state is read, changed and written back by one job at a time).
 */
import { parseClientConfig, type ClientConfig } from "../core/client";
import { iso, type Clock } from "../core/clock";
import { formatDuration } from "../core/duration";
import { DatabusError, reasonOf } from "../core/errors";
import type { ObserverConfig, ObserverEvent } from "../core/observers";
import type { DispatcherApi, EntryDead, RunFinished } from "../dispatcher/api";
import type { Database } from "../storage/database";
import { sendMail } from "./mail";
import type { ObserverMessage } from "./message";
import { incidentKey, loadState, saveState, type Incident, type ObserverState } from "./state";
import { sendWebhook } from "./webhook";

export type Send = (target: ObserverConfig["target"], message: ObserverMessage) => Promise<void>;

export interface ObserverServiceOptions {
  db: Database;
  dispatcher: Pick<DispatcherApi, "state" | "onRunFinished" | "onEntryDead">;
  clock: Clock;
  /** Failed deliveries and broken jobs, as DBUS_DSP_OBSERVER_FAILED lines. */
  report: (line: string, fields: { client?: string; code?: string }) => void;
  /** The instance's alias, named in every message. */
  alias?: string;
  /** Delivery; webhook or mail by the observer's target unless a test replaces it. */
  send?: Send;
}

const defaultSend: Send = (target, message) => (target.kind === "webhook" ? sendWebhook(target, message) : sendMail(target, message));

/** One job's view: the client's config and state, saved by the job when it changes them. */
interface Job {
  client: string;
  config: ClientConfig;
  state: ObserverState;
  now: string;
}

export class ObserverService {
  private chains = new Map<string, Promise<void>>();
  private configs = new Map<string, { text: string; config: ClientConfig | null }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: Array<() => void>;
  private send: Send;

  constructor(private o: ObserverServiceOptions) {
    this.send = o.send ?? defaultSend;
    this.unsubscribe = [o.dispatcher.onRunFinished((r) => this.runFinished(r)), o.dispatcher.onEntryDead((e) => this.entryDead(e))];
  }

  /** Checks for silent definitions (and resends undelivered notices) every `intervalMs`. */
  start(intervalMs: number): void {
    this.timer ??= setInterval(() => void this.sweep(), intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const u of this.unsubscribe) u();
    await this.idle();
  }

  /** Resolves when every job queued so far has finished. */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...this.chains.values()];
      await Promise.all(pending);
      const now = [...this.chains.values()];
      if (now.length === pending.length && now.every((p, i) => p === pending[i])) return;
    }
  }

  runFinished(r: RunFinished): Promise<void> {
    return this.job(r.client, async (j) => {
      const ok = r.outcome === "ok" || r.outcome === "warning";
      if (ok && j.config.observers.some((o) => o.on.includes("silence"))) {
        j.state.last_success[r.definition] = r.finished_at;
        await this.save(j);
      }
      for (const o of j.config.observers) {
        if (o.on.includes("run_errors")) {
          if (ok) await this.clear(j, o, "run_errors", r.definition, `Runs of ${r.definition} finish without errors again.`);
          else await this.open(j, o, "run_errors", r.definition, runSummary(r), { log_id: r.log_id, outcome: r.outcome, counts: r.counts });
        }
        if (o.on.includes("silence") && ok) await this.clear(j, o, "silence", r.definition, `${r.definition} ran successfully again.`);
        await this.clearDeadIfNone(j, o, r.definition);
      }
    });
  }

  entryDead(e: EntryDead): Promise<void> {
    return this.job(e.client, async (j) => {
      for (const o of j.config.observers)
        if (o.on.includes("entry_dead"))
          await this.open(j, o, "entry_dead", e.definition, `Passenger ${e.id} of ${e.definition} is dead at the ${e.step} step.`, {
            passenger: e.id, step: e.step, error: e.error, log_id: e.log_id,
          });
    });
  }

  /** Silent definitions, dead entries a person has dealt with, and notices that did not get through. */
  async sweep(): Promise<void> {
    let clients: string[];
    try {
      clients = await this.o.db.listClients();
    } catch (e) {
      // The store is down (readyz says so too); the next sweep tries again.
      return this.o.report(`Observers could not list the clients: ${reasonOf(e)}`, {});
    }
    await Promise.all(clients.map((client) => this.job(client, (j) => this.check(j))));
  }

  private async check(j: Job): Promise<void> {
    const known = new Set(j.config.observers.map((o) => o.name));
    for (const [key, inc] of Object.entries(j.state.incidents)) {
      // An observer removed from the config takes its incidents with it, without a word.
      if (!known.has(inc.observer)) delete j.state.incidents[key];
    }
    let changed = false;
    // A paused or stopping dispatcher runs nothing on purpose: that is not silence.
    const watching = this.o.dispatcher.state === "running";
    for (const def of j.config.passengers) {
      const last = j.state.last_success[def.name];
      // Silence is counted from the first check that watched the definition until it first succeeds.
      if (last === undefined && j.config.observers.some((o) => o.on.includes("silence"))) ((j.state.last_success[def.name] = j.now), (changed = true));
      const silentMs = last === undefined ? 0 : Date.parse(j.now) - Date.parse(last);
      for (const o of j.config.observers) {
        if (watching && o.on.includes("silence") && silentMs > o.silenceFactor * def.sync_frequency_ms)
          await this.open(j, o, "silence", def.name, `${def.name} has had no successful run for ${roughly(silentMs)}.`, {
            last_success: last, sync_frequency: formatDuration(def.sync_frequency_ms), silence_factor: o.silenceFactor,
          });
        await this.clearDeadIfNone(j, o, def.name);
      }
    }
    if (changed) await this.save(j);
    for (const inc of Object.values(j.state.incidents)) {
      const o = j.config.observers.find((x) => x.name === inc.observer);
      if (o && !inc.notified) await this.notify(j, o, inc);
    }
  }

  private async clearDeadIfNone(j: Job, o: ObserverConfig, definition: string): Promise<void> {
    if (!j.state.incidents[incidentKey(o.name, "entry_dead", definition)]) return;
    if ((await this.o.db.countEntries(j.client, definition)).dead === 0)
      await this.clear(j, o, "entry_dead", definition, `No passenger of ${definition} is dead any more.`);
  }

  /** Opens an incident and tells the observer, unless it is open already (at most once per incident). */
  private async open(j: Job, o: ObserverConfig, event: ObserverEvent, definition: string, summary: string, details: Record<string, unknown>): Promise<void> {
    const key = incidentKey(o.name, event, definition);
    if (j.state.incidents[key]) return;
    const inc: Incident = { observer: o.name, event, definition, opened_at: j.now, summary, details, notified: false };
    j.state.incidents[key] = inc;
    // Recorded before sending: a crash in between sends it again after the restart, never twice while up.
    await this.save(j);
    await this.notify(j, o, inc);
  }

  private async notify(j: Job, o: ObserverConfig, inc: Incident): Promise<void> {
    if (await this.deliver(j, o, this.message(j, o, inc, "incident", inc.summary, inc.details))) {
      inc.notified = true;
      await this.save(j);
    }
  }

  private async clear(j: Job, o: ObserverConfig, event: ObserverEvent, definition: string, summary: string): Promise<void> {
    const key = incidentKey(o.name, event, definition);
    const inc = j.state.incidents[key];
    if (!inc) return;
    delete j.state.incidents[key];
    await this.save(j);
    // Nobody heard of an incident whose notice never got through, so there is nothing to call off.
    if (inc.notified) await this.deliver(j, o, this.message(j, o, inc, "recovery", summary, { incident: inc.summary }));
  }

  private message(j: Job, o: ObserverConfig, inc: Incident, type: ObserverMessage["type"], summary: string, details: Record<string, unknown>): ObserverMessage {
    return {
      type, event: inc.event, client: j.client, definition: inc.definition, observer: o.name, summary,
      opened_at: inc.opened_at, at: j.now, ...(this.o.alias ? { alias: this.o.alias } : {}), details,
    };
  }

  private async deliver(j: Job, o: ObserverConfig, message: ObserverMessage): Promise<boolean> {
    try {
      await this.send(o.target, message);
      return true;
    } catch (e) {
      const err = new DatabusError("DBUS_DSP_OBSERVER_FAILED", { client: j.client, observer: o.name, reason: reasonOf(e) });
      this.o.report(`${err.code} ${err.message}`, { client: j.client, code: err.code });
      return false;
    }
  }

  private save(j: Job): Promise<void> {
    return saveState(this.o.db, j.client, j.state);
  }

  /** Runs `work` after the client's earlier jobs; skipped for clients without observers. */
  private job(client: string, work: (j: Job) => Promise<void>): Promise<void> {
    const next = (this.chains.get(client) ?? Promise.resolve()).then(async () => {
      const config = await this.config(client);
      if (!config || config.observers.length === 0) return;
      await work({ client, config, state: await loadState(this.o.db, client), now: iso(this.o.clock.now()) });
    });
    const settled = next.catch((e) => this.o.report(`Observers of client ${client}: ${reasonOf(e)}`, { client }));
    this.chains.set(client, settled);
    return settled;
  }

  /** The parsed config, re-parsed only when its text changed; a broken one has no observers (the dispatcher reports it). */
  private async config(client: string): Promise<ClientConfig | null> {
    const text = await this.o.db.readConfig(client);
    const cached = this.configs.get(client);
    if (cached?.text === text) return cached.config;
    let config: ClientConfig | null = null;
    try {
      config = parseClientConfig(client, text);
    } catch (e) {
      if (!(e instanceof DatabusError)) throw e;
    }
    this.configs.set(client, { text, config });
    return config;
  }
}

/** "3 minutes", "2 hours": how long, the way a person says it (rounded down). */
function roughly(ms: number): string {
  for (const [unit, size] of [["day", 86_400_000], ["hour", 3_600_000], ["minute", 60_000]] as const) {
    const n = Math.floor(ms / size);
    if (n >= 2) return `${n} ${unit}s`;
    if (n === 1 && unit === "minute") return "1 minute";
  }
  const s = Math.floor(ms / 1000);
  return `${s} second${s === 1 ? "" : "s"}`;
}

function runSummary(r: RunFinished): string {
  if (r.outcome === "aborted") return `A run of ${r.definition} stopped early: its log could not be written.`;
  const failed = r.counts.failed;
  return `A run of ${r.definition} ended with errors${failed > 0 ? ` (${failed} failed step${failed === 1 ? "" : "s"})` : ""}.`;
}
