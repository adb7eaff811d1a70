/**
 * The queue page's query string: parsed and validated once (DBUS_WEB_BAD_INPUT for bad values), and
 * turned back into links that keep the filters, so pager, filters and Home's counts agree on it.
 */
import { DatabusError } from "../../../core/errors";
import { isDriverName } from "../../../core/ids";
import { ENTRY_STATES, type EntryState } from "../../../core/queue-entry";
import type { EntryFilter, EntrySort } from "../../../storage/database";

export const PAGE_SIZE = 50;
const MAX_TEXT = 200;

export interface QueueQuery {
  /** Only when a root administrator picked another client. */
  client?: string;
  definition?: string;
  state?: EntryState;
  text?: string;
  /** Newest seated first unless `oldest` is asked for. */
  sort?: "oldest";
  page: number;
}

const bad = (field: string, problem: string) => new DatabusError("DBUS_WEB_BAD_INPUT", { field, problem });

export function parseQueueQuery(raw: Record<string, string | undefined>): QueueQuery {
  const q: QueueQuery = { page: 1 };
  const client = raw.client?.trim();
  if (client) q.client = client;
  const definition = raw.definition?.trim();
  if (definition) {
    if (!isDriverName(definition)) throw bad("definition", "must be the name of a passenger definition");
    q.definition = definition;
  }
  const state = raw.state?.trim();
  if (state) {
    if (!ENTRY_STATES.includes(state as EntryState)) throw bad("state", `must be one of ${ENTRY_STATES.join(", ")}`);
    q.state = state as EntryState;
  }
  const text = raw.text?.trim();
  if (text) {
    if (text.length > MAX_TEXT) throw bad("text", `must be at most ${MAX_TEXT} characters`);
    q.text = text;
  }
  const sort = raw.sort?.trim();
  if (sort && sort !== "newest") {
    if (sort !== "oldest") throw bad("sort", "must be newest or oldest");
    q.sort = "oldest";
  }
  const page = raw.page?.trim();
  if (page) {
    if (!/^[1-9][0-9]{0,5}$/.test(page)) throw bad("page", "must be a whole number from 1");
    q.page = Number(page);
  }
  return q;
}

/** `/queue` with the given filters; empty ones are left out, page 1 is implied. */
export function queueHref(q: Partial<QueueQuery>): string {
  const params = new URLSearchParams();
  if (q.client) params.set("client", q.client);
  if (q.definition) params.set("definition", q.definition);
  if (q.state) params.set("state", q.state);
  if (q.text) params.set("text", q.text);
  if (q.sort) params.set("sort", q.sort);
  if (q.page && q.page > 1) params.set("page", String(q.page));
  const search = params.toString();
  return search ? `/queue?${search}` : "/queue";
}

/** The storage filter the query selects (the same one the bulk actions re-apply). */
export const entryFilterOf = (q: QueueQuery): EntryFilter => ({ definition: q.definition, state: q.state, text: q.text });

export const entrySortOf = (q: QueueQuery): EntrySort => (q.sort === "oldest" ? "seated_at" : "-seated_at");

export type BulkAction = "retry" | "skip" | "delete";
export const BULK_ACTIONS: readonly BulkAction[] = ["retry", "skip", "delete"];

/** The confirmation page of a bulk action on the selection `q` (its filters; page and sort do not matter). */
export function bulkHref(action: BulkAction, q: QueueQuery): string {
  const params = new URLSearchParams({ action });
  if (q.client) params.set("client", q.client);
  if (q.definition) params.set("definition", q.definition);
  if (q.state) params.set("state", q.state);
  if (q.text) params.set("text", q.text);
  return `/queue/bulk?${params}`;
}
