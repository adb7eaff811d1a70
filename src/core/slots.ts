/** A gate of `width` slots: at most that many of the tasks passed through it run at once. Pure, no I/O. */
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
