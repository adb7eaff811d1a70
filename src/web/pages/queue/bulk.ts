/**
 * Bulk actions on a filtered selection of the queue: find what the filter selects (in pages of 500,
 * only through db.listEntries), then retry or skip its failed steps, or delete its entries, in
 * pages of 500. Steps whose state moved meanwhile are counted as skipped, never forced.
 */
import { iso } from "../../../core/clock";
import { DatabusError, isDatabusError } from "../../../core/errors";
import type { EntryFilter } from "../../../storage/database";
import type { Web } from "../../deps";
import type { BulkAction } from "./query";

export const BULK_PAGE = 500;
/** How many entries of one page are changed at the same time. */
const PARALLEL = 16;

export interface BulkTarget {
  id: string;
  /** Indexes of the steps to change (failed steps); empty for delete. */
  steps: number[];
}

export interface Selection {
  /** Entries the action will touch: with a failed step for retry and skip, all of them for delete. */
  targets: BulkTarget[];
  /** Failed steps in those entries (retry and skip). */
  stepCount: number;
}

export interface BulkOutcome {
  action: BulkAction;
  /** Steps changed (retry, skip) or entries deleted. */
  changed: number;
  /** Entries the changed steps belong to (equals `changed` for delete). */
  entries: number;
  /** Steps (or entries) left alone because their state no longer allowed the action. */
  skipped: number;
}

/** Everything the filter selects now, oldest first, read one page of 500 at a time. */
export async function collectSelection(web: Web, client: string, filter: EntryFilter, action: BulkAction): Promise<Selection> {
  const targets: BulkTarget[] = [];
  let stepCount = 0;
  for (let offset = 0; ; offset += BULK_PAGE) {
    const { entries } = await web.db.listEntries(client, filter, { offset, limit: BULK_PAGE }, "seated_at");
    for (const entry of entries) {
      const failed = entry.steps.flatMap((s, i) => (s.state === "failed" ? [i] : []));
      if (action === "delete") targets.push({ id: entry.passenger.id, steps: [] });
      else if (failed.length > 0) targets.push({ id: entry.passenger.id, steps: failed }), (stepCount += failed.length);
    }
    if (entries.length < BULK_PAGE) return { targets, stepCount };
  }
}

/** How many entries a delete would remove: the index's count, no entry is read. */
export async function countSelection(web: Web, client: string, filter: EntryFilter): Promise<number> {
  return (await web.db.listEntries(client, filter, { offset: 0, limit: 1 })).total;
}

/** Applies the action to the targets, page by page; resolves when all are done. */
export async function applyBulk(web: Web, client: string, action: BulkAction, targets: BulkTarget[]): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { action, changed: 0, entries: 0, skipped: 0 };
  for (let start = 0; start < targets.length; start += BULK_PAGE) {
    const page = targets.slice(start, start + BULK_PAGE);
    for (let i = 0; i < page.length; i += PARALLEL) {
      await Promise.all(page.slice(i, i + PARALLEL).map((t) => applyOne(web, client, action, t, outcome)));
    }
  }
  return outcome;
}

async function applyOne(web: Web, client: string, action: BulkAction, target: BulkTarget, outcome: BulkOutcome): Promise<void> {
  if (action === "delete") {
    await web.db.deleteEntry(client, target.id);
    outcome.changed++, outcome.entries++;
    return;
  }
  let changedHere = 0;
  for (const index of target.steps) {
    try {
      await web.db.updateStep(client, target.id, index, { action, at: iso(web.clock.now()) });
      changedHere++;
    } catch (e) {
      if (!isMovedOn(e)) throw e;
      outcome.skipped++;
    }
  }
  outcome.changed += changedHere;
  if (changedHere > 0) outcome.entries++;
}

/** The entry changed (or vanished) between reading the selection and acting on it. */
const isMovedOn = (e: unknown): e is DatabusError =>
  isDatabusError(e) && (e.code === "DBUS_Q_ACTION_NOT_ALLOWED" || e.code === "DBUS_Q_ENTRY_NOT_FOUND");

/** "1,234": counts in confirmations and results. */
export const formatCount = (n: number): string => n.toLocaleString("en-US");
