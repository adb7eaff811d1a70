import { describe, expect, it } from "bun:test";
import type { EntryFilter, EntrySort } from "../../../../src/storage/database";
import { ClientIndex, type IndexItem } from "../../../../src/storage/json/memory-index";
import { TextSearch } from "../../../../src/storage/json/text-search";

const item = (i: number, over: Partial<IndexItem> = {}): IndexItem => ({
  id: `id-${String(i).padStart(4, "0")}`,
  definition: i % 3 === 0 ? "a/x" : "a/y",
  key: `s\u0000${i}`,
  search: `order-${i}\n${i % 2 ? "shop" : "mail"}`,
  seated_at: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
  completed_at: null,
  state: (["pending", "failed", "dead", "complete"] as const)[i % 4]!,
  due: null,
  ...over,
});

describe("TextSearch", () => {
  it("finds every entry containing the text once, oldest first, never across two entries", () => {
    const items = [item(1), item(12), item(2), item(112)];
    const s = new TextSearch(items);
    expect(s.matches("order-1").map((i) => s.item(i).id)).toEqual(["id-0001", "id-0012", "id-0112"]);
    expect(s.matches("shop").map((i) => s.item(i).id)).toEqual(["id-0001"]); // odd numbers come from the shop
    expect(s.matches("mail\u0001order")).toEqual([]);
    expect(s.matches("2\nmail")).toEqual([1, 2, 3].filter((k) => items[k]!.search.includes("2\nmail")));
  });
});

describe("ClientIndex text filter", () => {
  // Compared with the plain definition: filter everything, then sort and page.
  function reference(items: IndexItem[], filter: EntryFilter, offset: number, limit: number, sort: EntrySort) {
    const text = filter.text?.toLowerCase();
    const all = items
      .filter((x) => (filter.definition === undefined || x.definition === filter.definition) && (filter.state === undefined || x.state === filter.state) && (text === undefined || x.search.includes(text)))
      .sort((a, b) => (a.seated_at < b.seated_at ? -1 : 1));
    if (sort === "-seated_at") all.reverse();
    return { total: all.length, ids: all.slice(offset, offset + limit).map((x) => x.id) };
  }

  it("agrees with filtering everything, for every combination, both orders and any page", () => {
    const items = Array.from({ length: 300 }, (_, i) => item(i));
    const index = new ClientIndex();
    index.addAll(items.map((x) => ({ ...x })));
    const filters: EntryFilter[] = [
      { text: "order-1" },
      { text: "ORDER-2" },
      { text: "shop", state: "failed" },
      { text: "order-1", state: "dead" },
      { text: "order-2", definition: "a/x" },
      { text: "zzz" },
    ];
    for (const filter of filters)
      for (const sort of ["seated_at", "-seated_at"] as const)
        for (const [offset, limit] of [[0, 10], [5, 7], [100, 50], [400, 5]] as const)
          expect({ filter, sort, offset, ...index.list(filter, { offset, limit }, sort) }).toEqual({ filter, sort, offset, ...reference(items, filter, offset, limit, sort) });
  });

  it("sees entries added and removed after a search", () => {
    const index = new ClientIndex();
    index.addAll([item(1), item(2)]);
    expect(index.list({ text: "order-" }, { offset: 0, limit: 10 }).total).toBe(2);
    index.add(item(3));
    index.remove("id-0001");
    expect(index.list({ text: "order-" }, { offset: 0, limit: 10 }, "seated_at").ids).toEqual(["id-0002", "id-0003"]);
  });
});
