/**
 * The dispatcher's events (run finished, entry dead) and their listeners: metrics, the server log
 * and observers subscribe here, so the pipeline steps stay unaware of them.
 */
import { reasonOf } from "../core/errors";
import type { LogLevel } from "../core/log";
import { entryState, type QueueEntry } from "../core/queue-entry";
import type { StepChange } from "../core/step-status";
import type { Database } from "../storage/database";
import type { EntryDead, RunFinished, RunOutcome } from "./api";

type Listener<T> = (event: T) => void | Promise<void>;

export class DispatcherEvents {
  private runListeners = new Set<Listener<RunFinished>>();
  private deadListeners = new Set<Listener<EntryDead>>();

  /** `report` hears of listeners that throw: a broken observer must not break runs. */
  constructor(private report: (line: string) => void = () => {}) {}

  onRunFinished(listener: Listener<RunFinished>): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  onEntryDead(listener: Listener<EntryDead>): () => void {
    this.deadListeners.add(listener);
    return () => this.deadListeners.delete(listener);
  }

  runFinished(event: RunFinished): void {
    this.tell(this.runListeners, event, `the end of run ${event.log_id}`);
  }

  entryDead(event: EntryDead): void {
    this.tell(this.deadListeners, event, `dead passenger ${event.id}`);
  }

  private tell<T>(listeners: Set<Listener<T>>, event: T, what: string): void {
    for (const l of listeners) {
      const failed = (e: unknown) => this.report(`A listener to ${what} failed: ${reasonOf(e)}`);
      try {
        void Promise.resolve(l(event)).catch(failed);
      } catch (e) {
        failed(e);
      }
    }
  }
}

/** The outcome of a run whose log's worst level is `worst`. */
export const outcomeOf = (worst: LogLevel): RunOutcome => (worst === "info" ? "ok" : worst);

/**
 * The store a run uses, seen through a window that notices the step change that makes an entry
 * dead (the first failed step with no next attempt), one change at a time or in a batch.
 * Everything else passes straight through.
 */
export function watchDeaths(db: Database, onDead: (entry: QueueEntry, stepIndex: number, change: StepChange) => void): Database {
  const bound = new Map<PropertyKey, unknown>();
  const check = (entry: QueueEntry, stepIndex: number, change: StepChange) => {
    if (change.action !== "fail" || change.nextAttemptAt !== null) return;
    const deadSteps = entry.steps.filter((s) => s.state === "failed" && s.next_attempt_at === null).length;
    if (deadSteps === 1 && entryState(entry.steps) === "dead") onDead(entry, stepIndex, change);
  };
  const updateStep: Database["updateStep"] = async (client, id, stepIndex, change) => {
    const entry = await db.updateStep(client, id, stepIndex, change);
    check(entry, stepIndex, change);
    return entry;
  };
  const updateSteps: Database["updateSteps"] = async (client, updates) => {
    const results = await db.updateSteps(client, updates);
    results.forEach((r, i) => r instanceof Error || check(r, updates[i]!.stepIndex, updates[i]!.change));
    return results;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "updateStep") return updateStep;
      if (prop === "updateSteps") return updateSteps;
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      // Engines keep private fields; their methods must run with the engine itself as `this`.
      if (!bound.has(prop)) bound.set(prop, value.bind(target));
      return bound.get(prop);
    },
  });
}
