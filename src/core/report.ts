/**
 * The delivery report: for a client and a period, every pusher step that was delivered, failed or
 * is dead, with its idempotency key. Built from queue entries alone (the Database contract's
 * `listEntries`), so every engine gives the same report. Pure: the caller hands over a page reader.
 */
import type { QueueEntry } from "./queue-entry";
import type { StepStatus } from "./step-status";

/** `dead`: failed and waiting for a person (no next attempt); `failed`: will be tried again. */
export type DeliveryState = "delivered" | "failed" | "dead";
export const DELIVERY_STATES: readonly DeliveryState[] = ["delivered", "failed", "dead"];

/** One pusher step of one passenger. */
export interface DeliveryRow {
  pusher: string;
  state: DeliveryState;
  /** When it was delivered, or when it last failed (ISO). */
  at: string;
  /** `<passenger id>:<pusher name>`, as the pusher sent it to the target. */
  idempotency_key: string;
  passenger_id: string;
  /** The passenger definition (= passenger type). */
  definition: string;
  external_id: string;
  source_system: string;
  attempts: number;
  /** For `failed`: when the next attempt is due; otherwise null. */
  next_attempt_at: string | null;
  /** The last error, for `failed` and `dead`; null when delivered. */
  error: string | null;
}

/** Steps whose time (`at`) is in `[from, to)`, ISO times. */
export interface ReportPeriod {
  from: string;
  to: string;
}

export interface ReportFilter extends ReportPeriod {
  /** Only this pusher. */
  pusher?: string;
  /** Only this passenger definition. */
  definition?: string;
}

/** Per pusher: how many delivered, failed and dead steps the period holds. */
export interface PusherSummary {
  pusher: string;
  delivered: number;
  failed: number;
  dead: number;
}

/** A page of entries, oldest seated first: `listEntries(client, filter, page, "seated_at")`. */
export type EntryPageReader = (offset: number, limit: number) => Promise<{ total: number; entries: QueueEntry[] }>;

const PAGE = 500;

/**
 * Reads entries page by page, oldest seated first, and stops at the first one seated after the period
 * (its steps cannot have happened inside it). Rows are sorted by time, then pusher, then passenger.
 */
export async function collectDeliveries(readPage: EntryPageReader, filter: ReportFilter): Promise<DeliveryRow[]> {
  const rows: DeliveryRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { entries } = await readPage(offset, PAGE);
    for (const entry of entries) {
      if (entry.seated_at >= filter.to) return rows.sort(compareRows);
      rows.push(...deliveryRowsOf(entry, filter));
    }
    if (entries.length < PAGE) return rows.sort(compareRows);
  }
}

/** The rows one entry contributes: its pusher steps that match the filter and are not pending or skipped. */
export function deliveryRowsOf(entry: QueueEntry, filter: ReportFilter): DeliveryRow[] {
  const p = entry.passenger;
  if (filter.definition && p.type !== filter.definition) return [];
  const rows: DeliveryRow[] = [];
  for (const step of entry.steps) {
    if (step.kind !== "pusher" || (filter.pusher && step.name !== filter.pusher)) continue;
    const state = deliveryState(step);
    if (!state || step.updated_at < filter.from || step.updated_at >= filter.to) continue;
    rows.push({
      pusher: step.name,
      state,
      at: step.updated_at,
      idempotency_key: `${p.id}:${step.name}`,
      passenger_id: p.id,
      definition: p.type,
      external_id: p.external_id,
      source_system: p.source_system,
      attempts: step.attempts,
      next_attempt_at: state === "failed" ? step.next_attempt_at : null,
      error: state === "delivered" ? null : step.last_error,
    });
  }
  return rows;
}

export function summarise(rows: readonly DeliveryRow[]): PusherSummary[] {
  const by = new Map<string, PusherSummary>();
  for (const r of rows) {
    const s = by.get(r.pusher) ?? { pusher: r.pusher, delivered: 0, failed: 0, dead: 0 };
    s[r.state]++;
    by.set(r.pusher, s);
  }
  return [...by.values()].sort((a, b) => a.pusher.localeCompare(b.pusher));
}

function deliveryState(step: StepStatus): DeliveryState | undefined {
  if (step.state === "done") return "delivered";
  if (step.state === "failed") return step.next_attempt_at === null ? "dead" : "failed";
  return undefined;
}

const compareRows = (a: DeliveryRow, b: DeliveryRow): number =>
  a.at.localeCompare(b.at) || a.pusher.localeCompare(b.pusher) || a.passenger_id.localeCompare(b.passenger_id);
