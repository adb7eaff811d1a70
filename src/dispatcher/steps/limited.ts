/** Runs work over items with at most `width` in flight: concurrent store writes share group commits. */
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

/** A gate of `width` slots: at most that many of the tasks passed through it run at once. */
export type Slots = <T>(task: () => Promise<T>) => Promise<T>;

export function slots(width: number): Slots {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    while (active >= width) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
