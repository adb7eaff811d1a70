/**
 * Work over many items with at most `width` in flight: the dispatcher's store calls (concurrent writes
 * share group commits) and the json store's file reads and fsyncs; and long work cut into slices
 * with a turn of the event loop between (nextTurn). Pure, no I/O of its own.
 */

/** Resolves on the event loop's next turn (after the timers and I/O waiting now), not as a microtask. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `fn` over the items, at most `width` at once (at least one). */
export async function forEachLimited<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, width), items.length) }, worker));
}

/** Like forEachLimited, keeping each item's result in order. */
export async function mapLimited<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, width), items.length) }, worker));
  return out;
}

