/**
 * Runs one report plugin under its timeout and checks what it returned, so a throw, a hang or a
 * table of the wrong shape becomes a catalogue error for an error box, never a 500. Reports read
 * the queue only through `ReportQuery`; they cannot change anything.
 */
import { DatabusError } from "../../../core/errors";
import type { Report, ReportCell, ReportColumn, ReportParams, ReportQuery } from "../../../sdk/index";
import type { ReportPlugin } from "../../deps";

/** A checked table: columns in order, each row its cells in column order. */
export interface PluginTable {
  columns: ReportColumn[];
  rows: ReportCell[][];
}

export type PluginOutcome = { ok: true; table: PluginTable } | { ok: false; error: DatabusError };

export interface PluginRunInput {
  name: string;
  report: Report;
  query: ReportQuery;
  params: ReportParams;
  client: string;
  nowMs: number;
}

const TIMED_OUT = Symbol("timed out");

/** A new instance per request, as drivers get one per call: reports keep no state between viewers. */
export function createReport(plugin: ReportPlugin): { ok: true; report: Report } | { ok: false; error: DatabusError } {
  try {
    return { ok: true, report: new plugin.cls() };
  } catch (e) {
    return { ok: false, error: failed(plugin.name, e) };
  }
}

export async function runPluginReport({ name, report, query, params, client, nowMs }: PluginRunInput): Promise<PluginOutcome> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), report.timeout * 1000);
  });
  try {
    const ctx = { client, report: name, now: new Date(nowMs).toISOString(), signal: abort.signal };
    // Through a promise, so a report that throws before its first await is caught like one that rejects.
    const result = await Promise.race([Promise.resolve().then(() => report.run(query, params, ctx)), timedOut]);
    if (result === TIMED_OUT) {
      abort.abort(new Error(`the report ran longer than ${report.timeout} seconds`));
      return { ok: false, error: new DatabusError("DBUS_PLG_REPORT_TIMEOUT", { name, seconds: report.timeout }) };
    }
    return { ok: true, table: checkTable(result) };
  } catch (e) {
    return { ok: false, error: failed(name, e) };
  } finally {
    clearTimeout(timer);
  }
}

class BadTable extends Error {}

function failed(name: string, e: unknown): DatabusError {
  const reason = e instanceof BadTable ? `it returned ${e.message}` : e instanceof Error ? e.message || e.name : String(e);
  return new DatabusError("DBUS_PLG_REPORT_FAILED", { name, reason }, { cause: e });
}

/** `{ columns: [{ key, label }], rows: [...] }` with text, number or null cells; else a BadTable that says where. */
function checkTable(value: unknown): PluginTable {
  const t = value as { columns?: unknown; rows?: unknown } | null;
  if (typeof t !== "object" || t === null || !Array.isArray(t.columns) || !Array.isArray(t.rows))
    throw new BadTable("something other than a table of columns and rows");
  const columns = t.columns.map((c: unknown, i) => {
    const col = c as { key?: unknown; label?: unknown } | null;
    if (typeof col?.key !== "string" || typeof col.label !== "string") throw new BadTable(`column ${i + 1} without a text key and label`);
    return { key: col.key, label: col.label };
  });
  const keys = new Set(columns.map((c) => c.key));
  if (keys.size < columns.length) throw new BadTable("two columns with the same key");
  const rows = t.rows.map((r: unknown, i) => {
    if (typeof r !== "object" || r === null) throw new BadTable(`row ${i + 1} that is not an object`);
    return columns.map(({ key }) => {
      const cell = (r as Record<string, unknown>)[key] ?? null;
      if (cell !== null && typeof cell !== "string" && typeof cell !== "number")
        throw new BadTable(`${/^[aeiou]/.test(typeof cell) ? "an" : "a"} ${typeof cell} in row ${i + 1}, column ${key} (cells must be text, numbers or null)`);
      return cell;
    });
  });
  return { columns, rows };
}
