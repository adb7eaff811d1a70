import { describe, expect, it } from "bun:test";
import { forEachLimited, mapLimited, nextTurn } from "../../../src/core/limited";

/** A task that records how many run at once, and finishes after a turn of the event loop. */
function counting() {
  const seen = { running: 0, most: 0 };
  const task = async <T>(value: T): Promise<T> => {
    seen.most = Math.max(seen.most, ++seen.running);
    await Bun.sleep(1);
    seen.running--;
    return value;
  };
  return { seen, task };
}

describe("forEachLimited", () => {
  it("runs every item, at most `width` at once", async () => {
    const { seen, task } = counting();
    const done: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => void done.push(await task(n)));
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen.most).toBe(3);
  });

  it("still runs the items one at a time when given a width under one", async () => {
    const { seen, task } = counting();
    let count = 0;
    await forEachLimited([1, 2, 3], 0, async (n) => void (count += await task(n)));
    expect(count).toBe(6);
    expect(seen.most).toBe(1);
  });

  it("rejects with the failure of an item", async () => {
    await expect(forEachLimited([1, 2, 3], 2, async (n) => (n === 2 ? Promise.reject(new Error("item 2")) : undefined))).rejects.toThrow("item 2");
  });
});

describe("mapLimited", () => {
  it("keeps each result at its item's place, whatever order they finish in", async () => {
    const { seen, task } = counting();
    const out = await mapLimited([30, 10, 20, 0], 2, async (ms) => {
      await Bun.sleep(ms);
      return task(ms * 2);
    });
    expect(out).toEqual([60, 20, 40, 0]);
    expect(seen.most).toBeLessThanOrEqual(2);
  });

  it("gives an empty list for no items", async () => {
    expect(await mapLimited([], 4, async () => 1)).toEqual([]);
  });
});

describe("nextTurn", () => {
  it("resolves after what the event loop already has waiting, not as a microtask", async () => {
    let immediate = false;
    setImmediate(() => (immediate = true));
    await Promise.resolve();
    expect(immediate).toBe(false); // a microtask does not let the loop turn
    await nextTurn();
    expect(immediate).toBe(true);
  });
});
