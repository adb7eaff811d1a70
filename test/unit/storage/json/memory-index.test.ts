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
