/**
 * The json engine's self-check at start: a file (or entry folder) that is not what the store wrote is
 * moved to `clients/<id>/quarantine/<time>_<path under the client, "/" → "_">` and reported in a
 * "store self-check" log of that client. Never deleted, never a reason to refuse to start.
 */
import { mkdir, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { reasonOf } from "../../core/errors";
import { uuidv7 } from "../../core/ids";
import type { Log, LogEntry } from "../../core/log";
import type { StepState } from "../../core/step-status";
import { listNames, sweepTemps, syncDir } from "./files";
import { fileTime, type Layout } from "./layout";

export interface Quarantined {
  /** Path under the client folder, e.g. `queue/<id>` or `log/<file>`. */
  from: string;
  /** Path under the client folder, e.g. `quarantine/2024-05-01T12-00-00.000Z_queue_<id>`. */
  to: string;
  reason: string;
}

export const quarantineDir = (layout: Layout, client: string): string => join(layout.clientDir(client), "quarantine");

/**
 * Moves `clients/<client>/<from>` into the client's quarantine folder; the name keeps where it was.
 * A move that fails (permissions, a full disk) leaves the file where it is and says so: the start goes on.
 */
export async function quarantine(layout: Layout, client: string, from: string, reason: string, atIso: string): Promise<Quarantined> {
  const dir = quarantineDir(layout, client);
  const to = `quarantine/${fileTime(atIso)}_${from.replaceAll("/", "_")}`;
  try {
    await mkdir(dir, { recursive: true });
    await rename(join(layout.clientDir(client), from), join(layout.clientDir(client), to));
    await syncDir(dir);
    return { from, to, reason };
  } catch (e) {
    return { from, to: `nowhere (moving it to ${to} failed: ${reasonOf(e)}; it is left in place and not served)`, reason };
  }
}

/** The log that tells a person what was moved and why (origin "console": it is no run). */
export function selfCheckLog(moved: readonly Quarantined[], atIso: string): Log {
  const entries: LogEntry[] = moved.map((q) => ({
    at: atIso,
    level: "warning",
    source: "store",
    message: `Moved ${q.from} to ${q.to}: ${q.reason}. The rest is served; look at the file and delete or repair it by hand.`,
  }));
  return {
    id: uuidv7(Date.parse(atIso)),
    origin: "console",
    at: atIso,
    title: "store self-check",
    definition: null,
    level: "warning",
    entries_count: entries.length,
    finished_at: atIso,
    counts: null,
    entries,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === "string";

/** Why passenger.json of entry `id` is not what the store writes; null when it is. */
export function passengerProblem(p: unknown, id: string): string | null {
  if (!isObject(p)) return "passenger.json is not a JSON object";
  if (p.id !== id) return "passenger.json names another id than its folder";
  for (const k of ["type", "external_id", "source_system", "puller"]) if (!isText(p[k])) return `passenger.json has no ${k}`;
  if (!Array.isArray(p.attachments) || !p.attachments.every((a) => isObject(a) && isText(a.name))) return "passenger.json has no attachment list";
  if (!Array.isArray(p.log_ids)) return "passenger.json has no log_ids";
  return null;
}

/** Why status.json is not what the store writes; null when it is. */
export function statusProblem(s: unknown): string | null {
  if (!isObject(s)) return "status.json is not a JSON object";
  if (!isText(s.seated_at)) return "status.json has no seated_at";
  if (s.completed_at !== null && !isText(s.completed_at)) return "status.json has a completed_at that is not a time";
  if (!Array.isArray(s.steps) || s.steps.length === 0) return "status.json has no steps";
  const states: readonly unknown[] = ["pending", "done", "failed", "skipped"] satisfies StepState[];
  for (const step of s.steps) {
    if (!isObject(step) || !isText(step.name) || !isText(step.kind) || !states.includes(step.state)) return "status.json has a step it cannot be read as";
  }
  return null;
}

/** Why a log file is not a log; null when it is. */
export function logProblem(log: unknown): string | null {
  if (!isObject(log)) return "it is not a JSON object";
  if (!isText(log.id) || !isText(log.at) || !isText(log.title)) return "it has no id, time or title";
  if (!Array.isArray(log.entries)) return "it has no entries";
  return null;
}

/**
 * Outside the queue and the logs: sweeps temp files interrupted writes left in the client's folders
 * and quarantines plugin state files that are not JSON objects (a driver would fail on every get).
 * config.json and its backups are not checked here: a config that is not JSON is the user's to fix
 * and disables the client with the reason (the dispatcher reports it); backups are raw texts.
 */
export async function checkClientFiles(layout: Layout, client: string, atIso: string): Promise<Quarantined[]> {
  for (const dir of [layout.clientDir(client), layout.backupDir(client), layout.filesDir(client), layout.stateDir(client)]) await sweepTemps(dir);
  const moved: Quarantined[] = [];
  for (const name of await listNames(layout.stateDir(client))) {
    if (!name.endsWith(".json")) continue;
    let problem: string | null = null;
    try {
      const value: unknown = JSON.parse(await readFile(join(layout.stateDir(client), name), "utf8"));
      if (!isObject(value)) problem = "the plugin state file is not a JSON object";
    } catch {
      problem = "the plugin state file is not valid JSON (cut short or damaged)";
    }
    if (problem) moved.push(await quarantine(layout, client, `state/${name}`, problem, atIso));
  }
  return moved;
}
