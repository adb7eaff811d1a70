/**
 * The in-memory index of one client's queue: serves lists, counts, the due list and dedupe without
 * touching the disk. Holds a few short strings per entry, never payloads. Rebuilt by open().
 */
import type { EntryState } from "../../core/queue-entry";
import { ENTRY_STATES, entryState } from "../../core/queue-entry";
import type { StepStatus } from "../../core/step-status";
import type { EntryFilter, EntrySort, Page } from "../database";
import { TextSearch } from "./text-search";

export interface IndexItem {
  id: string;
  definition: string;
  /** Dedupe key, `source_system \0 external_id`. */
  key: string;
  /** Lower-cased `external_id \n source_system` for the text filter. */
  search: string;
  seated_at: string;
  completed_at: string | null;
  state: EntryState;
  /** "" when a step is pending, else the earliest retry time of a failed step, else null (nothing due). */
  due: string | null;
}

export const dedupeKey = (source: string, external: string): string => `${source}\u0000${external}`;

/** What the index keeps of an entry's steps. Dead entries wait for a person, so they are never due. */
export function summariseSteps(steps: readonly StepStatus[]): Pick<IndexItem, "state" | "due"> {
  const state = entryState(steps);
  if (state === "dead" || state === "complete") return { state, due: null };
  let due: string | null = null;
  for (const s of steps) {
    if (s.state === "pending") return { state, due: "" };
    if (s.state === "failed" && s.next_attempt_at !== null && (due === null || s.next_attempt_at < due)) due = s.next_attempt_at;
  }
  return { state, due };
}

const before = (a: IndexItem, b: IndexItem): boolean => a.seated_at < b.seated_at || (a.seated_at === b.seated_at && a.id < b.id);

export class ClientIndex {
  private byId = new Map<string, IndexItem>();
  private byKey = new Map<string, string>();
  /** Oldest first by (seated_at, id); appends are the common case (ids and clocks move forward). */
  private sorted: IndexItem[] = [];
  /** Interned definition names: thousands of entries share a handful of strings. */
  private names = new Map<string, string>();
  /** The same order split by state: a state filter (failed, dead…) scans only its own entries. */
  private byState: Record<EntryState, IndexItem[]> = { pending: [], failed: [], dead: [], complete: [] };
  /** Built on the first text search after entries were added or removed. */
  private textSearch: TextSearch | null = null;
  /** Entries by definition and state, kept up to date so counts never scan the queue. */
  private counts = new Map<string, Record<EntryState, number>>();

  /** Counts every change (each goes through tally), so a saver can tell "nothing changed since". */
  private changeCount = 0;

  get changes(): number {
    return this.changeCount;
  }

  private tally(item: IndexItem, delta: 1 | -1): void {
    this.changeCount++;
    let c = this.counts.get(item.definition);
    if (!c) this.counts.set(item.definition, (c = { pending: 0, failed: 0, dead: 0, complete: 0 }));
    c[item.state] += delta;
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): IndexItem | undefined {
    return this.byId.get(id);
  }

  idOfKey(key: string): string | undefined {
    return this.byKey.get(key);
  }

  add(item: IndexItem): void {
    const existing = this.byId.get(item.id);
    if (existing) this.remove(existing.id);
    let name = this.names.get(item.definition);
    if (name === undefined) this.names.set(item.definition, (name = item.definition));
    item.definition = name;
    this.tally(item, 1);
    this.byId.set(item.id, item);
    this.byKey.set(item.key, item.id);
    insertSorted(this.sorted, item);
    insertSorted(this.byState[item.state], item);
    this.textSearch = null;
  }

  /** Every item, oldest first (for the snapshot written at close). */
  all(): readonly IndexItem[] {
    return this.sorted;
  }

  /**
   * Adds many at once (open()): one sort instead of many inserts, and none when they come oldest first
   * already (a snapshot is saved in that order: at 200,000 entries the sort cost ~0.2 s of the start).
   */
  addAll(items: IndexItem[]): void {
    for (const item of items) {
      if (this.byId.has(item.id)) this.tally(this.byId.get(item.id)!, -1);
      this.tally(item, 1);
      this.byId.set(item.id, item);
      this.byKey.set(item.key, item.id);
    }
    const all = [...this.byId.values()];
    this.sorted = inOrder(all) ? all : all.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    this.byState = { pending: [], failed: [], dead: [], complete: [] };
    for (const item of this.sorted) this.byState[item.state].push(item);
    this.textSearch = null;
  }

  update(id: string, change: Pick<IndexItem, "state" | "due" | "completed_at">): void {
    const item = this.byId.get(id);
    if (!item) return;
    this.tally(item, -1);
    if (change.state !== item.state) {
      removeSorted(this.byState[item.state], item);
      insertSorted(this.byState[change.state], Object.assign(item, change));
    } else Object.assign(item, change);
    this.tally(item, 1);
  }

  remove(id: string): void {
    const item = this.byId.get(id);
    if (!item) return;
    this.tally(item, -1);
    this.byId.delete(id);
    if (this.byKey.get(item.key) === id) this.byKey.delete(item.key);
    removeSorted(this.sorted, item);
    removeSorted(this.byState[item.state], item);
    this.textSearch = null;
  }

  /** Ids on one page plus the total that match the filter. */
  list(filter: EntryFilter, page: Page, sort: EntrySort = "-seated_at"): { total: number; ids: string[] } {
    const text = filter.text?.toLowerCase() || undefined;
    const n = this.sorted.length;
    if (filter.definition === undefined && filter.state === undefined && text === undefined) {
      // No filter: the page is a slice, whatever the size of the queue.
      const from = sort === "seated_at" ? page.offset : n - page.offset - 1;
      const ids: string[] = [];
      for (let k = 0; k < page.limit && page.offset + k < n; k++) ids.push(this.sorted[sort === "seated_at" ? from + k : from - k]!.id);
      return { total: n, ids };
    }
    const match = (x: IndexItem) =>
      (filter.definition === undefined || x.definition === filter.definition) && (filter.state === undefined || x.state === filter.state);
    const ids: string[] = [];
    let total = 0;
    const end = page.offset + page.limit;
    const take = (x: IndexItem) => {
      if (!match(x)) return;
      if (total >= page.offset && total < end) ids.push(x.id);
      total++;
    };
    if (text !== undefined) {
      // The entries containing the text, found in one joined string; with no other filter only the
      // page's entries are read.
      const search = (this.textSearch ??= new TextSearch(this.sorted));
      const found = search.matches(text);
      const m = found.length;
      const at = (k: number) => search.item(found[sort === "seated_at" ? k : m - 1 - k]!);
      if (filter.definition === undefined && filter.state === undefined) {
        for (let k = page.offset; k < Math.min(end, m); k++) ids.push(at(k).id);
        return { total: m, ids };
      }
      const bucket = filter.state === undefined ? undefined : this.byState[filter.state];
      if (bucket === undefined || m <= bucket.length) {
        for (let k = 0; k < m; k++) take(at(k));
        return { total, ids };
      }
      // A common text in a small state (say, failed): checking that state's entries is cheaper.
      const n = bucket.length;
      for (let k = 0; k < n; k++) {
        const x = bucket[sort === "seated_at" ? k : n - 1 - k]!;
        if (x.search.includes(text)) take(x);
      }
      return { total, ids };
    }
    const source = filter.state === undefined ? this.sorted : this.byState[filter.state];
    const m = source.length;
    for (let k = 0; k < m; k++) take(source[sort === "seated_at" ? k : m - 1 - k]!);
    return { total, ids };
  }

  count(definition?: string): Record<EntryState, number> {
    const out: Record<EntryState, number> = { pending: 0, failed: 0, dead: 0, complete: 0 };
    for (const [name, c] of this.counts) {
      if (definition !== undefined && name !== definition) continue;
      for (const state of ENTRY_STATES) out[state] += c[state];
    }
    return out;
  }

  /** Oldest first. Only pending and failed entries can be due, so complete and dead ones are never read. */
  listDue(definition: string, nowIso: string, limit: number): string[] {
    const pick = (items: readonly IndexItem[]): IndexItem[] => {
      const out: IndexItem[] = [];
      for (const x of items) {
        if (out.length >= limit) break;
        if (x.definition === definition && x.due !== null && x.due <= nowIso) out.push(x);
      }
      return out;
    };
    return [...pick(this.byState.pending), ...pick(this.byState.failed)]
      .sort((a, b) => (before(a, b) ? -1 : 1))
      .slice(0, limit)
      .map((x) => x.id);
  }

  completedBefore(definition: string, beforeIso: string): string[] {
    return this.byState.complete
      .filter((x) => x.definition === definition && x.completed_at !== null && x.completed_at < beforeIso)
      .map((x) => x.id);
  }
}

function inOrder(items: readonly IndexItem[]): boolean {
  for (let i = 1; i < items.length; i++) if (!before(items[i - 1]!, items[i]!)) return false;
  return true;
}

/** Where `item` goes in an array sorted oldest first. */
function insertionPoint(sorted: readonly IndexItem[], item: IndexItem): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(sorted[mid]!, item)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Appends when the item is the newest (the common case), else inserts in order. */
function insertSorted(sorted: IndexItem[], item: IndexItem): void {
  const last = sorted[sorted.length - 1];
  if (!last || before(last, item)) sorted.push(item);
  else sorted.splice(insertionPoint(sorted, item), 0, item);
}

function removeSorted(sorted: IndexItem[], item: IndexItem): void {
  const at = insertionPoint(sorted, item);
  if (sorted[at] === item) sorted.splice(at, 1);
}
