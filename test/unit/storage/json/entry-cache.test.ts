import { describe, expect, it } from "bun:test";
import { EntryCache } from "../../../../src/storage/json/entry-cache";

const entry = (n: number) => ({ passengerText: `{"n":${n}}`, status: { seated_at: "t", completed_at: null, steps: [] } });

describe("EntryCache", () => {
  it("drops the least recently written entry past its limit", () => {
    const c = new EntryCache(2);
    c.set("a", "1", entry(1));
    c.set("a", "2", entry(2));
    c.set("a", "1", entry(11)); // 1 is now the most recently written
    c.get("a", "2"); // a read does not count
    c.set("a", "3", entry(3));
    expect(c.get("a", "2")).toBeUndefined();
    expect(c.get("a", "1")?.passengerText).toBe('{"n":11}');
    expect(c.get("a", "3")?.passengerText).toBe('{"n":3}');
  });

  it("past a larger limit drops an eighth of it at once, the entries written longest ago", () => {
    const c = new EntryCache(16);
    for (let n = 1; n <= 16; n++) c.set("a", String(n), entry(n));
    c.set("a", "1", entry(101)); // 1 is now the most recently written
    c.set("a", "17", entry(17)); // 17 entries: 3 go (one past the limit and an eighth of it), 2, 3 and 4
    const kept = Array.from({ length: 17 }, (_, i) => String(i + 1)).filter((id) => c.get("a", id) !== undefined);
    expect(kept).toEqual(["1", ...Array.from({ length: 13 }, (_, i) => String(i + 5))]);
    for (let n = 18; n <= 19; n++) c.set("a", String(n), entry(n)); // back to the limit: nothing more goes
    expect(c.get("a", "5")).toBeDefined();
  });

  it("forgets one client's entries and keeps the others'", () => {
    const c = new EntryCache(10);
    c.set("acme", "1", entry(1));
    c.set("acme2", "1", entry(2));
    c.forgetClient("acme");
    expect(c.get("acme", "1")).toBeUndefined();
    expect(c.get("acme2", "1")).toBeDefined();
    c.delete("acme2", "1");
    expect(c.get("acme2", "1")).toBeUndefined();
  });

  it("keeps the same id of two clients apart: one replaces the other, never answers for it", () => {
    const c = new EntryCache(10);
    c.set("acme", "1", entry(1));
    c.set("globex", "1", entry(2));
    expect(c.get("acme", "1")).toBeUndefined();
    expect(c.get("globex", "1")?.passengerText).toBe('{"n":2}');
    c.delete("acme", "1");
    expect(c.get("globex", "1")).toBeDefined();
  });
});
