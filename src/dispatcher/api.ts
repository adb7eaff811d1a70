/** The dispatcher's public API: what the web console and the CLI may call. */
import type { RunCounts } from "../core/log";
import type { Attachment } from "../core/passenger";

/** idle → running → pausing → paused → running; any → stopping → stopped. Never a set of booleans. */
export type DispatcherState = "idle" | "running" | "pausing" | "paused" | "stopping" | "stopped";

export interface RunInfo {
  client: string;
  definition: string;
  started_at: string;
  log_id: string;
}

/**
 * How a run ended: the worst level its log reached (`ok` when nothing above info), or `aborted`
 * when the run could not even record its end (the store refused its log, e.g. a full disk).
 */
export type RunOutcome = "ok" | "warning" | "error" | "aborted";

/** Told to listeners once per finished run (after its log is finished), for metrics, logs and observers. */
export interface RunFinished extends RunInfo {
  finished_at: string;
  duration_ms: number;
  outcome: RunOutcome;
  counts: RunCounts;
}

/** Told once when a run's step failure leaves an entry dead (waiting for a person). */
export interface EntryDead {
  client: string;
  definition: string;
  /** The passenger id. */
  id: string;
  /** `pusher acme/invoice_pusher` and the like. */
  step: string;
  error: string | null;
  at: string;
  log_id: string;
}

/** What one puller's `peek` showed, without consuming anything. */
export type PeekResult =
  | { puller: string; status: "ok"; passengers: PeekedPassenger[] }
  | { puller: string; status: "unsupported" }
  | { puller: string; status: "failed"; error: string };

export interface PeekedPassenger {
  external_id: string;
  source_system: string;
  payload: unknown;
  attachments: Attachment[];
}

/** A plugin as the System page lists it. */
export interface PluginInfo {
  name: string;
  kind: string;
  /** Absolute path, or null for built-ins. */
  file: string | null;
  /** The load error (code + message + hint) of a broken plugin. */
  error: string | null;
}

export interface DispatcherApi {
  readonly state: DispatcherState;
  /** When the timer last ticked (ISO), for /readyz and the System page. */
  readonly lastTickAt: string | null;
  /** When this dispatcher was created (ISO), for the uptime on the System page. */
  readonly startedAt: string;
  /** Runs in progress. */
  running(): RunInfo[];
  /** Problems with client configs and definitions right now, one line each (code, message, hint). */
  currentProblems(): string[];
  /** Every plugin: built-ins first, then by name; broken ones with their error. */
  plugins(): PluginInfo[];
  /**
   * Asks every puller of a definition what waits in the source, without consuming anything.
   * A puller error is a result, not a throw. Raises DBUS_DSP_UNKNOWN_DEFINITION or a config error.
   */
  peek(client: string, definition: string): Promise<PeekResult[]>;
  /** When a definition runs next (ISO), or null if it is not scheduled. */
  nextRunAt(client: string, definition: string): string | null;
  /**
   * Starts a run of one definition now (the original's "expedite") and resolves when it has
   * started, not finished. Raises DBUS_DSP_PAUSED, DBUS_DSP_SHUTTING_DOWN, DBUS_DSP_UNKNOWN_DEFINITION.
   */
  runNow(client: string, definition: string): Promise<void>;
  /** Finishes running steps, starts none. */
  pause(): void;
  resume(): void;
  /** Stops taking work, waits for running steps up to the grace period. */
  shutdown(): Promise<void>;
  /**
   * Calls `listener` after every run that started and finished on this instance; returns a function
   * that unsubscribes. Listeners run after the run's log is durable; one that throws is reported and
   * never stops the dispatcher. Runs left to another instance (leases) are not told.
   */
  onRunFinished(listener: (run: RunFinished) => void | Promise<void>): () => void;
  /** Calls `listener` when a run leaves an entry dead (its first dead step); same rules as onRunFinished. */
  onEntryDead(listener: (entry: EntryDead) => void | Promise<void>): () => void;
}
