import { describe, expect, it } from "bun:test";
import type { LogHeader } from "../../../../src/core/log";
import { LogIndex } from "../../../../src/storage/json/log-index";

const header = (id: string, at: string, extra: Partial<LogHeader> = {}): LogHeader => ({
  id, origin: "run", at, title: "run", definition: "a/b", level: "info", entries_count: 0, finished_at: null, counts: null, ...extra,
});
const ref = (h: LogHeader) => ({ file: `${h.at}_${h.id}.json`, header: h });

describe("LogIndex", () => {
  const built = () =>
    LogIndex.build([
      ref(header("b", "2024-01-02T00:00:00.000Z", { level: "error" })),
      ref(header("a", "2024-01-01T00:00:00.000Z")),
      ref(header("d", "2024-01-04T00:00:00.000Z", { definition: "x/y" })),
      ref(header("c", "2024-01-03T00:00:00.000Z", { level: "warning" })),
    ]);

  it("lists newest first and pages without a filter", () => {
    const i = built();
    expect(i.query({}, { offset: 0, limit: 10 }).logs.map((h) => h.id)).toEqual(["d", "c", "b", "a"]);
    expect(i.query({}, { offset: 1, limit: 2 })).toMatchObject({ total: 4, logs: [{ id: "c" }, { id: "b" }] });
  });

  it("cuts `since` by time and combines it with level and definition", () => {
    const i = built();
    expect(i.query({ since: "2024-01-02T00:00:00.000Z" }, { offset: 0, limit: 10 }).logs.map((h) => h.id)).toEqual(["d", "c", "b"]);
    expect(i.query({ since: "2024-01-02T00:00:00.000Z", level: "warning" }, { offset: 0, limit: 10 }).logs.map((h) => h.id)).toEqual(["c", "b"]);
    expect(i.query({ definition: "x/y" }, { offset: 0, limit: 10 }).total).toBe(1);
    // Stops scanning at the page's end but still knows the total.
    expect(i.query({ definition: "a/b", origin: "run" }, { offset: 1, limit: 1 })).toMatchObject({ total: 3, logs: [{ id: "b" }] });
    expect(i.query({ origin: "console" }, { offset: 0, limit: 5 })).toEqual({ total: 0, logs: [] });
  });

  it("keeps the order when logs are added out of order, updated and deleted", () => {
    const i = built();
    i.add(ref(header("e", "2024-01-02T12:00:00.000Z")));
    i.update("a", header("a", "2024-01-01T00:00:00.000Z", { level: "error" }));
    i.delete("d");
    expect(i.query({}, { offset: 0, limit: 10 }).logs.map((h) => h.id)).toEqual(["c", "e", "b", "a"]);
    expect(i.query({ definition: "a/b" }, { offset: 0, limit: 1 }).total).toBe(4);
    expect(i.query({ level: "error" }, { offset: 0, limit: 10 }).logs.map((h) => h.id)).toEqual(["b", "a"]);
    expect(i.olderThan("2024-01-02T06:00:00.000Z").map((r) => r.header.id)).toEqual(["b", "a"]);
  });
});
