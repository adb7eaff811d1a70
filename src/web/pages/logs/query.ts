/**
 * The logs page's query string: level (worst level at least), definition and page, validated once
 * (DBUS_WEB_BAD_INPUT), and turned back into links that keep the filters.
 */
import { DatabusError } from "../../../core/errors";
import { isDriverName } from "../../../core/ids";
import { LOG_LEVELS, type LogLevel } from "../../../core/log";
import type { LogFilter } from "../../../storage/database";

export const PAGE_SIZE = 50;

export interface LogsQuery {
  /** Only when a root administrator picked another client. */
  client?: string;
  level?: LogLevel;
  definition?: string;
  page: number;
}

const bad = (field: string, problem: string) => new DatabusError("DBUS_WEB_BAD_INPUT", { field, problem });

export function parseLogsQuery(raw: Record<string, string | undefined>): LogsQuery {
  const q: LogsQuery = { page: 1 };
  const client = raw.client?.trim();
  if (client) q.client = client;
  const level = raw.level?.trim();
  if (level) {
    if (!LOG_LEVELS.includes(level as LogLevel)) throw bad("level", `must be one of ${LOG_LEVELS.join(", ")}`);
    q.level = level as LogLevel;
  }
  const definition = raw.definition?.trim();
  if (definition) {
    if (!isDriverName(definition)) throw bad("definition", "must be the name of a passenger definition");
    q.definition = definition;
  }
  const page = raw.page?.trim();
  if (page) {
    if (!/^[1-9][0-9]{0,5}$/.test(page)) throw bad("page", "must be a whole number from 1");
    q.page = Number(page);
  }
  return q;
}

export const logFilterOf = (q: LogsQuery): LogFilter => ({ level: q.level, definition: q.definition });

/** `/logs` with the given filters; empty ones are left out, page 1 is implied. */
export function logsHref(q: Partial<LogsQuery>): string {
  const params = new URLSearchParams();
  if (q.client) params.set("client", q.client);
  if (q.level) params.set("level", q.level);
  if (q.definition) params.set("definition", q.definition);
  if (q.page && q.page > 1) params.set("page", String(q.page));
  const search = params.toString();
  return search ? `/logs?${search}` : "/logs";
}

export const logHref = (client: string, id: string): string => `/logs/${client}/${id}`;
