/**
 * Gathers one client's dashboard with a handful of store calls: counts by state, the config (for
 * its definitions), the logs of the last 24 hours, and the newest log of each definition that did
 * not run in that time. No per-entry reads.
 */
import { parseClientConfig } from "../../../core/client";
import { isDatabusError, type DatabusError } from "../../../core/errors";
import type { LogHeader } from "../../../core/log";
import type { EntryState } from "../../../core/queue-entry";
import type { Database } from "../../../storage/database";
import { activitySince, summarizeActivity, type Activity } from "./activity";

/** More runs than this in 24 hours are shown as "at least"; the chart then covers the newest ones. */
export const RECENT_LOG_LIMIT = 5000;

export interface LastRun {
  definition: string;
  log: LogHeader | null;
}

export interface ClientDashboard {
  client: string;
  counts: Record<EntryState, number>;
  activity: Activity;
  /** True when the client had more logs in 24 hours than were read. */
  truncated: boolean;
  lastRuns: LastRun[];
  /** The config's problem, when it cannot be read (the rest of the dashboard still shows). */
  configError: DatabusError | null;
}

export async function gatherDashboard(db: Database, client: string, nowMs: number): Promise<ClientDashboard> {
  const [counts, recent, definitions] = await Promise.all([
    db.countEntries(client),
    db.listLogs(client, { origin: "run", since: activitySince(nowMs) }, { offset: 0, limit: RECENT_LOG_LIMIT }),
    definitionNames(db, client),
  ]);
  // Logs come newest first, so the first one per definition is its last run; only definitions that
  // did not run in the last 24 hours cost a store call of their own.
  const newest = new Map<string, LogHeader>();
  for (const log of recent.logs) if (log.definition !== null && !newest.has(log.definition)) newest.set(log.definition, log);
  const lastRuns = await Promise.all(
    definitions.names.map(async (definition): Promise<LastRun> => {
      const known = newest.get(definition);
      if (known) return { definition, log: known };
      const { logs } = await db.listLogs(client, { origin: "run", definition }, { offset: 0, limit: 1 });
      return { definition, log: logs[0] ?? null };
    }),
  );
  return {
    client,
    counts,
    activity: summarizeActivity(recent.logs, nowMs),
    truncated: recent.total > recent.logs.length,
    lastRuns,
    configError: definitions.error,
  };
}

async function definitionNames(db: Database, client: string): Promise<{ names: string[]; error: DatabusError | null }> {
  try {
    return { names: parseClientConfig(client, await db.readConfig(client)).passengers.map((d) => d.name), error: null };
  } catch (e) {
    if (isDatabusError(e) && e.code.startsWith("DBUS_CFG_")) return { names: [], error: e };
    throw e;
  }
}
