/**
 * The Reports page's query string: period (from/to days, UTC, both included), pusher, page and the
 * download format, validated once (DBUS_WEB_BAD_INPUT) and turned back into links that keep them.
 * Its day and period parsing also serves report plugins' parameters.
 */
import { DatabusError } from "../../../core/errors";
import { isDriverName } from "../../../core/ids";
import type { ReportFilter, ReportPeriod } from "../../../core/report";

export const PAGE_SIZE = 100;
/** Without dates the report covers the last seven days, today included. */
const DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;
const MAX_DAYS = 3660;

export type ReportFormat = "csv" | "json";

export interface ReportsQuery {
  /** Only when a root administrator picked another client. */
  client?: string;
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, included. */
  to: string;
  pusher?: string;
  page: number;
}

export const bad = (field: string, problem: string) => new DatabusError("DBUS_WEB_BAD_INPUT", { field, problem });
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A date field: `YYYY-MM-DD` that is a real day, or DBUS_WEB_BAD_INPUT naming `field`; empty gives `fallback`. */
export function parseDay(raw: string | undefined, field: string, fallback: string): string;
export function parseDay(raw: string | undefined, field: string, fallback: null): string | null;
export function parseDay(raw: string | undefined, field: string, fallback: string | null): string | null {
  const day = raw?.trim();
  if (!day) return fallback;
  if (!DAY.test(day) || dayOf(Date.parse(`${day}T00:00:00Z`)) !== day) throw bad(field, "must be a date such as 2026-06-01");
  return day;
}

/**
 * A period of whole days (both included), the last seven days when both are empty. `fields` name the
 * two inputs in errors. The Reports page and report plugins' `period` parameters share it.
 */
export function parsePeriod(
  raw: { from?: string; to?: string },
  nowMs: number,
  fields: { from: string; to: string } = { from: "from", to: "to" },
): { from: string; to: string } {
  const to = parseDay(raw.to, fields.to, dayOf(nowMs));
  const from = parseDay(raw.from, fields.from, dayOf(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY_MS));
  if (from > to) throw bad(fields.from, "must not be after the last day");
  if (Date.parse(to) - Date.parse(from) > MAX_DAYS * DAY_MS) throw bad(fields.from, `must be at most ${MAX_DAYS} days before the last day`);
  return { from, to };
}

/** From the first day's midnight to the midnight after the last day (UTC), as the SDK's ReportPeriod. */
export function periodOf(days: { from: string; to: string }): ReportPeriod {
  return { from: `${days.from}T00:00:00.000Z`, to: new Date(Date.parse(`${days.to}T00:00:00Z`) + DAY_MS).toISOString() };
}

export function parseReportsQuery(raw: Record<string, string | undefined>, nowMs: number): ReportsQuery {
  const q: ReportsQuery = { ...parsePeriod(raw, nowMs), page: 1 };
  const client = raw.client?.trim();
  if (client) q.client = client;
  const pusher = raw.pusher?.trim();
  if (pusher) {
    if (!isDriverName(pusher)) throw bad("pusher", "must be the name of a pusher");
    q.pusher = pusher;
  }
  const page = raw.page?.trim();
  if (page) {
    if (!/^[1-9][0-9]{0,5}$/.test(page)) throw bad("page", "must be a whole number from 1");
    q.page = Number(page);
  }
  return q;
}

export function parseFormat(raw: string | undefined): ReportFormat {
  const format = raw?.trim() || "csv";
  if (format !== "csv" && format !== "json") throw bad("format", "must be csv or json");
  return format;
}

/** The report's filter: from the first day's midnight to the midnight after the last day (UTC). */
export function reportFilterOf(q: ReportsQuery, withPusher = true): ReportFilter {
  return { ...periodOf(q), ...(withPusher && q.pusher ? { pusher: q.pusher } : {}) };
}

function params(q: Partial<ReportsQuery>): URLSearchParams {
  const p = new URLSearchParams();
  if (q.client) p.set("client", q.client);
  if (q.from) p.set("from", q.from);
  if (q.to) p.set("to", q.to);
  if (q.pusher) p.set("pusher", q.pusher);
  return p;
}

export function reportsHref(q: Partial<ReportsQuery>): string {
  const p = params(q);
  if (q.page && q.page > 1) p.set("page", String(q.page));
  return `/reports?${p}`;
}

export function downloadHref(q: ReportsQuery, format: ReportFormat): string {
  const p = params(q);
  p.set("format", format);
  return `/reports/download?${p}`;
}
