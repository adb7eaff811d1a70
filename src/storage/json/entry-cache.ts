/**
 * The most recently written queue entries of every client, as the store last wrote them, so a run's
 * steps (seat, notify, process, two pushes: one status change each) do not read and parse the
 * entry's two files again for every change. Eviction goes by the last write, not the last read: a
 * run writes every entry it works on, and moving an entry on every read cost a tenth of the store's
 * time per step change.
 *
 * The passenger is kept as its JSON text: every reader gets its own parsed copy (a processor that
 * changes the payload in place must not change what the store holds), and text is compact. Beside
 * it, what the passenger holds besides its payload (`meta`, never handed out, never changed): the
 * dispatcher reads an entry's passenger id at every step, and parsing the whole text for it cost
 * ~8 µs a time.
 * Only Queue writes here, always after its change is acknowledged, under the entry's lock.
 */
import type { StoredPassenger, StoredStatus } from "./entry-files";

/** A passenger without its payload. */
export type PassengerMeta = Omit<StoredPassenger, "payload">;

export interface CachedEntry {
  passengerText: string;
  status: StoredStatus;
  /** Made from passengerText on first need when the writer did not have it at hand. */
  meta?: PassengerMeta;
}

/** The passenger's meta, made from the text once and kept with it. */
export function metaOf(entry: CachedEntry): PassengerMeta {
  return (entry.meta ??= toMeta(JSON.parse(entry.passengerText) as StoredPassenger));
}

export function toMeta(p: StoredPassenger): PassengerMeta {
  const { payload: _payload, ...meta } = p;
  return meta;
}

/** Past its limit the cache drops an eighth of it at once (evict()): it holds 7/8 of the limit to all of it. */
const EVICT_PART = 8;

/**
 * Keyed by entry id alone, with the client beside it: building a `client/id` key at every lookup cost
 * more than the lookup. Ids are UUIDs; the rare same id in two clients (a passenger imported into
 * both) only makes one of them a cache miss.
 */
export class EntryCache {
  private entries = new Map<string, { client: string; entry: CachedEntry }>();

  constructor(private readonly limit: number) {}

  get(client: string, id: string): CachedEntry | undefined {
    const hit = this.entries.get(id);
    return hit?.client === client ? hit.entry : undefined;
  }

  set(client: string, id: string, entry: CachedEntry): void {
    // Map order is insertion order: re-inserting makes this the most recently written.
    this.entries.delete(id);
    this.entries.set(id, { client, entry });
    if (this.entries.size > this.limit) this.evict(this.entries.size - this.limit + Math.floor(this.limit / EVICT_PART));
  }

  /**
   * Drops the `count` entries written longest ago, a part of the limit at a time: finding the oldest
   * entry of a Map walks past every slot deleted from its front since it last rehashed, and dropping
   * one at every write past the limit cost ~20 µs a write (~210 ms in a run of 10,000 passengers on a
   * store already holding 10,000, BENCHMARKS.md session 11); in parts, one walk serves many writes.
   */
  private evict(count: number): void {
    for (const id of this.entries.keys()) {
      if (count-- <= 0) return;
      this.entries.delete(id);
    }
  }

  delete(client: string, id: string): void {
    if (this.entries.get(id)?.client === client) this.entries.delete(id);
  }

  forgetClient(client: string): void {
    for (const [id, hit] of this.entries) if (hit.client === client) this.entries.delete(id);
  }
}
