/** The dispatcher's public API: what the web console and the CLI may call. */

/** idle → running → pausing → paused → running; any → stopping → stopped. Never a set of booleans. */
export type DispatcherState = "idle" | "running" | "pausing" | "paused" | "stopping" | "stopped";

export interface RunInfo {
  client: string;
  definition: string;
  started_at: string;
  log_id: string;
}

export interface DispatcherApi {
  readonly state: DispatcherState;
  /** When the timer last ticked (ISO), for /readyz and the System page. */
  readonly lastTickAt: string | null;
  /** Runs in progress. */
  running(): RunInfo[];
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
