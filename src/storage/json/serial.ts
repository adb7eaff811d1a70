/**
 * Per-key promise chains: writes to the same key (one entry, one config, one log) run one after the
 * other so a read-modify-write can never lose a concurrent one. Different keys run in parallel.
 */
export class Serial {
  private tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.runAll([key], fn);
  }

  /**
   * Runs `fn` after every write in line for any of `keys`, and before any later write to them: one
   * turn in several lines at once (a batch of step changes to many entries). Never deadlocks: it
   * waits only for what was in line when it was called.
   */
  runAll<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const before: Promise<unknown>[] = [];
    for (const key of keys) {
      const tail = this.tails.get(key);
      if (tail) before.push(tail);
    }
    const prev = before.length === 0 ? Promise.resolve() : before.length === 1 ? before[0]! : Promise.all(before);
    const result = prev.then(fn, fn);
    // The tail swallows the outcome: one failed write must not poison the next one in line.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    for (const key of keys) this.tails.set(key, tail);
    void tail.then(() => {
      for (const key of keys) if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when every write started so far has settled (close() waits on this). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
