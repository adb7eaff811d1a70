/** Log and LogEntry: one log per run (or admin action), every entry with its own time. Pure. */

export type LogLevel = "info" | "warning" | "error";
export const LOG_LEVELS: readonly LogLevel[] = ["info", "warning", "error"];

export interface LogEntry {
  at: string;
  level: LogLevel;
  /** Who wrote it: `dispatcher`, a driver name, `console`. */
  source: string;
  message: string;
}

/** What one run did, recorded when it finishes: the home page's runs and chart read these. */
export interface RunCounts {
  /** Passengers the pullers returned. */
  pulled: number;
  /** New passengers written to the queue (pulled minus duplicates). */
  seated: number;
  /** Pusher steps that succeeded. */
  delivered: number;
  /** Steps (notify, processor, pusher) that failed. */
  failed: number;
}

export const NO_COUNTS: RunCounts = { pulled: 0, seated: 0, delivered: 0, failed: 0 };

/** What wrote a log: a run of a passenger definition, or an action someone took in the console. */
export type LogOrigin = "run" | "console";
export const LOG_ORIGINS: readonly LogOrigin[] = ["run", "console"];

export interface LogHeader {
  id: string;
  origin: LogOrigin;
  /** When the run started. */
  at: string;
  /** What the log is about, e.g. `run databus/demo/passenger_1`. */
  title: string;
  /** The passenger definition of a run, when there is one. */
  definition: string | null;
  level: LogLevel;
  entries_count: number;
  /** Set when a run finishes; null while it runs, after a crash, and for logs that are not runs. */
  finished_at: string | null;
  counts: RunCounts | null;
  /**
   * The Databus instance that ran it (its dispatcher's id: host:pid or --instance), so a console of
   * any instance sharing one database shows where each run happened. Null or absent for console logs
   * and logs written before instances were recorded.
   */
  instance?: string | null;
}

export interface Log extends LogHeader {
  entries: LogEntry[];
}

const RANK: Record<LogLevel, number> = { info: 0, warning: 1, error: 2 };

export function worstLevel(levels: Iterable<LogLevel>, start: LogLevel = "info"): LogLevel {
  let worst = start;
  for (const l of levels) if (RANK[l] > RANK[worst]) worst = l;
  return worst;
}

export const isAtLeast = (level: LogLevel, min: LogLevel): boolean => RANK[level] >= RANK[min];
