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

  /** An index of many logs at once (open): one sort instead of one insert each. */
  static build(refs: LogRef[]): LogIndex {
    const index = new LogIndex();
    index.order = refs.sort((a, b) => (before(a.header, b.header) ? -1 : before(b.header, a.header) ? 1 : 0));
    for (const r of refs) index.byId.set(r.header.id, r);
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
    const logs: LogHeader[] = [];
    let total = 0;
    for (let i = 0; i < end; i++) {
      const h = this.order[i]!.header;
      if (filter.origin !== undefined && h.origin !== filter.origin) continue;
      if (filter.definition !== undefined && h.definition !== filter.definition) continue;
      if (filter.level !== undefined && !isAtLeast(h.level, filter.level)) continue;
      if (total >= page.offset && logs.length < page.limit) logs.push(h);
      total++;
    }
    return { total, logs };
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
