import { describe, expect, it } from "bun:test";
import { ClientIndex, summariseSteps, type IndexItem } from "../../../../src/storage/json/memory-index";
import { newStep } from "../../../../src/core/step-status";

const AT = "2024-05-01T10:00:00.000Z";
const item = (id: string, seated_at: string, over: Partial<IndexItem> = {}): IndexItem => ({
  id, definition: "d", key: `s\u0000${id}`, search: id, seated_at, completed_at: null, state: "pending", due: "", ...over,
});

describe("json memory index", () => {
  describe("when entries arrive out of order", () => {
    it("keeps them sorted by seated_at, then id, and removes them cleanly", () => {
      const index = new ClientIndex();
      index.add(item("b", "2024-01-02"));
      index.add(item("a", "2024-01-03"));
      index.add(item("c", "2024-01-01"));
      index.add(item("d", "2024-01-02"));
      const ids = () => index.list({}, { offset: 0, limit: 10 }, "seated_at").ids;
      expect(ids()).toEqual(["c", "b", "d", "a"]);
      index.remove("b");
      expect(ids()).toEqual(["c", "d", "a"]);
      expect(index.idOfKey("s\u0000b")).toBeUndefined();
      expect(index.size).toBe(3);
    });
  });

  describe("when a page is asked for without a filter", () => {
    it("gives the same page as a filter that matches everything, in both orders and past the end", () => {
      const index = new ClientIndex();
      for (let i = 0; i < 10; i++) index.add(item(`e${i}`, `2024-01-${String(10 + i)}`));
      for (const sort of ["seated_at", "-seated_at"] as const)
        for (const page of [{ offset: 0, limit: 3 }, { offset: 3, limit: 4 }, { offset: 8, limit: 5 }, { offset: 12, limit: 5 }]) {
          const all = index.list({ definition: "d" }, page, sort);
          expect(index.list({}, page, sort)).toEqual(all);
        }
      expect(index.list({}, { offset: 0, limit: 2 }, "-seated_at").ids).toEqual(["e9", "e8"]);
    });
  });

  describe("when many entries are added at once", () => {
    it("sorts them when they come out of order, and when a later one moves an earlier one's place", () => {
      const index = new ClientIndex();
      index.addAll([item("c", "2024-01-03"), item("a", "2024-01-01"), item("b", "2024-01-02")]);
      const order = () => index.list({}, { offset: 0, limit: 10 }, "seated_at").ids;
      expect(order()).toEqual(["a", "b", "c"]);
      // In order as given, but "a" replaces the first one and now belongs last.
      index.addAll([item("a", "2024-01-04"), item("d", "2024-01-05")]);
      expect(order()).toEqual(["b", "c", "a", "d"]);
      expect(index.list({ state: "pending" }, { offset: 0, limit: 10 }, "seated_at").ids).toEqual(["b", "c", "a", "d"]);
    });

    it("keeps them as given when they come oldest first (a snapshot), ties broken by id", () => {
      const index = new ClientIndex();
      const items = [item("a", "2024-01-01"), item("b", "2024-01-01"), item("c", "2024-01-02", { state: "failed", due: null })];
      index.addAll(items);
      expect(index.all()).toEqual(items);
      expect(index.list({ state: "failed" }, { offset: 0, limit: 10 }).ids).toEqual(["c"]);
    });
  });

  describe("when entries are added, changed and removed", () => {
    it("keeps the counts by definition and state in step, without scanning", () => {
      const index = new ClientIndex();
      index.add(item("a", "2024-01-01"));
      index.add(item("b", "2024-01-02", { definition: "e", state: "failed" }));
      index.addAll([item("c", "2024-01-03", { state: "complete" }), item("a", "2024-01-01", { state: "dead" })]);
      expect(index.count()).toEqual({ pending: 0, failed: 1, dead: 1, complete: 1 });
      index.update("b", { state: "complete", due: null, completed_at: "2024-01-04" });
      index.remove("c");
      expect(index.count()).toEqual({ pending: 0, failed: 0, dead: 1, complete: 1 });
      expect(index.count("e")).toEqual({ pending: 0, failed: 0, dead: 0, complete: 1 });
      expect(index.count("nope")).toEqual({ pending: 0, failed: 0, dead: 0, complete: 0 });
    });
  });

  describe("when a list is filtered by state", () => {
    it("follows entries as they change state, in seat order, and lists only due pending and failed ones", () => {
      const index = new ClientIndex();
      index.addAll([item("a", "2024-01-01"), item("b", "2024-01-02"), item("c", "2024-01-03", { state: "failed", due: "2024-02-01" })]);
      index.add(item("d", "2024-01-04", { state: "complete", due: null }));
      const ids = (state: IndexItem["state"]) => index.list({ state }, { offset: 0, limit: 10 }, "seated_at").ids;
      expect(ids("pending")).toEqual(["a", "b"]);
      index.update("b", { state: "failed", due: "2024-01-10", completed_at: null });
      index.update("c", { state: "complete", due: null, completed_at: "2024-01-05" });
      expect(ids("pending")).toEqual(["a"]);
      expect(ids("failed")).toEqual(["b"]);
      expect(ids("complete")).toEqual(["c", "d"]);
      expect(index.list({ state: "complete" }, { offset: 0, limit: 1 }, "-seated_at").ids).toEqual(["d"]);
      expect(index.listDue("d", "2024-01-20", 10)).toEqual(["a", "b"]);
      expect(index.listDue("d", "2024-01-05", 10)).toEqual(["a"]);
      expect(index.completedBefore("d", "2024-01-06")).toEqual(["c"]);
      index.remove("a");
      expect(ids("pending")).toEqual([]);
    });
  });

  describe("when steps are summarised", () => {
    it("marks pending entries due now, failed ones at their retry time, dead ones never", () => {
      const pending = newStep("pusher", "p", AT);
      const failed = { ...pending, state: "failed" as const, next_attempt_at: "2024-05-02T00:00:00.000Z" };
      expect(summariseSteps([pending])).toEqual({ state: "pending", due: "" });
      expect(summariseSteps([failed])).toEqual({ state: "failed", due: "2024-05-02T00:00:00.000Z" });
      expect(summariseSteps([{ ...failed, next_attempt_at: null }, pending])).toEqual({ state: "dead", due: null });
    });
  });
});
