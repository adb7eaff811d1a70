/** The dispatcher's public API: what the web console and the CLI may call. */
import type { Attachment } from "../core/passenger";

/** idle → running → pausing → paused → running; any → stopping → stopped. Never a set of booleans. */
export type DispatcherState = "idle" | "running" | "pausing" | "paused" | "stopping" | "stopped";

export interface RunInfo {
  client: string;
  definition: string;
  started_at: string;
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
}
