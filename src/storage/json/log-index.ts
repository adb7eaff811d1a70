/**
 * The in-memory index of one client's log headers: by id, and kept sorted newest first so lists
 * page without sorting and `since` filters cut a prefix by binary search (100,000 logs stay fast).
 */
import { isAtLeast, type LogHeader } from "../../core/log";
import type { LogFilter, Page } from "../database";

export interface LogRef {
  /** File name inside the client's log folder. */
  file: string;
  header: LogHeader;
}

/** Newest first: later `at` first, then the larger id. */
const before = (a: LogHeader, b: LogHeader): boolean => a.at > b.at || (a.at === b.at && a.id > b.id);

export class LogIndex {
  private byId = new Map<string, LogRef>();
  /** Newest first. */
  private order: LogRef[] = [];
  /** How many logs per origin, per definition and per both: filtered totals without a scan. */
  private counts = new Map<string, number>();

  private tally(h: LogHeader, delta: 1 | -1): void {
    for (const key of [`o:${h.origin}`, `d:${h.definition}`, `od:${h.origin}:${h.definition}`]) this.counts.set(key, (this.counts.get(key) ?? 0) + delta);
  }

  /** The total for an origin and/or definition filter, when the counts know it. */
  private knownTotal(filter: LogFilter): number {
    const key =
      filter.origin !== undefined && filter.definition !== undefined
        ? `od:${filter.origin}:${filter.definition}`
        : filter.origin !== undefined
          ? `o:${filter.origin}`
          : `d:${filter.definition}`;
    return this.counts.get(key) ?? 0;
  }

  /** An index of many logs at once (open): one sort instead of one insert each. */
  static build(refs: LogRef[]): LogIndex {
    const index = new LogIndex();
    index.order = refs.sort((a, b) => (before(a.header, b.header) ? -1 : before(b.header, a.header) ? 1 : 0));
    for (const r of refs) {
      index.byId.set(r.header.id, r);
      index.tally(r.header, 1);
    }
    return index;
  }

  get size(): number {
    return this.order.length;
  }

  get(id: string): LogRef | undefined {
    return this.byId.get(id);
  }

  /** Adds a log; runs arrive mostly in time order, so the insert point is usually the front. */
  add(ref: LogRef): void {
    if (this.byId.has(ref.header.id)) this.delete(ref.header.id);
    this.byId.set(ref.header.id, ref);
    this.tally(ref.header, 1);
    this.order.splice(this.insertionPoint(ref.header), 0, ref);
  }

  /** Header changes never move a log: `at` and `id` are fixed when it is created. */
  update(id: string, header: LogHeader): void {
    const ref = this.byId.get(id);
    if (ref) ref.header = header;
  }

  delete(id: string): void {
    const ref = this.byId.get(id);
    if (!ref) return;
    this.tally(ref.header, -1);
    this.byId.delete(id);
    this.order.splice(this.order.indexOf(ref), 1);
  }

  /** Logs that started before the cutoff (the tail of the order). */
  olderThan(beforeIso: string): LogRef[] {
    return this.order.slice(this.countSince(beforeIso));
  }

  query(filter: LogFilter, page: Page): { total: number; logs: LogHeader[] } {
    const end = filter.since === undefined ? this.order.length : this.countSince(filter.since);
    if (filter.definition === undefined && filter.level === undefined && filter.origin === undefined)
      return { total: end, logs: this.order.slice(page.offset, Math.min(end, page.offset + page.limit)).map((r) => r.header) };
    // Without level and time filters the counts know the total, so the scan stops at the page's end.
    const counted = filter.level === undefined && filter.since === undefined;
    const logs: LogHeader[] = [];
    let total = 0;
    for (let i = 0; i < end; i++) {
      if (counted && logs.length >= page.limit) break;
      const h = this.order[i]!.header;
      if (filter.origin !== undefined && h.origin !== filter.origin) continue;
      if (filter.definition !== undefined && h.definition !== filter.definition) continue;
      if (filter.level !== undefined && !isAtLeast(h.level, filter.level)) continue;
      if (total >= page.offset && logs.length < page.limit) logs.push(h);
      total++;
    }
    return { total: counted ? this.knownTotal(filter) : total, logs };
  }

  /** How many logs started at or after `iso` (they form a prefix of the order). */
  private countSince(iso: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.order[mid]!.header.at >= iso) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insertionPoint(h: LogHeader): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.order[mid]!.header, h)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
