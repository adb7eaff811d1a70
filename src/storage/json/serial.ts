/**
 * Per-key promise chains: writes to the same key (one entry, one config, one log) run one after the
 * other so a read-modify-write can never lose a concurrent one. Different keys run in parallel.
 */
export class Serial {
  private tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const result = prev.then(fn, fn);
    // The tail swallows the outcome: one failed write must not poison the next one in line.
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when every write started so far has settled (close() waits on this). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
