import { beforeEach, describe, expect, it } from "bun:test";
import type { EntryDead, RunFinished } from "../../../src/dispatcher/api";
import { DispatcherEvents, outcomeOf, watchDeaths } from "../../../src/dispatcher/events";
import type { Database } from "../../../src/storage/database";
import { seatPassenger } from "../../support/web";
import { useJsonStore } from "../../support/temp-home";

const RUN: RunFinished = {
  client: "acme", definition: "acme/invoice", started_at: "2026-01-01T00:00:00.000Z", log_id: "l1",
  finished_at: "2026-01-01T00:00:01.000Z", duration_ms: 1000, outcome: "ok", counts: { pulled: 1, seated: 1, delivered: 1, failed: 0 },
};

describe("dispatcher events", () => {
  describe("when a listener throws or rejects", () => {
    it("reports it and still tells the other listeners", async () => {
      const reports: string[] = [];
      const events = new DispatcherEvents((l) => reports.push(l));
      const heard: string[] = [];
      events.onRunFinished(() => {
        throw new Error("boom");
      });
      events.onRunFinished(async () => {
        throw new Error("async boom");
      });
      const off = events.onRunFinished((r) => void heard.push(r.log_id));
      events.runFinished(RUN);
      await Bun.sleep(0);
      expect(heard).toEqual(["l1"]);
      expect(reports.sort()).toEqual(["A listener to the end of run l1 failed: async boom", "A listener to the end of run l1 failed: boom"]);
      off();
      events.runFinished(RUN);
      expect(heard).toEqual(["l1"]);
    });
  });

  describe("when reading a run's worst log level", () => {
    it("calls info ok and keeps warning and error", () => {
      expect([outcomeOf("info"), outcomeOf("warning"), outcomeOf("error")]).toEqual(["ok", "warning", "error"]);
    });
  });

  describe("when watching a store for deaths", () => {
    const store = useJsonStore("databus-events-");
    let db: Database;
    beforeEach(() => {
      db = store();
    });

    it("tells only the change that makes an entry dead, once, and passes everything else through", async () => {
      const id = await seatPassenger(db, "acme", { external_id: "x", notified: true, pushers: ["a/p1", "a/p2"] });
      const dead: Array<{ id: string; step: number }> = [];
      const watched = watchDeaths(db, (entry, step) => void dead.push({ id: entry.passenger.id, step }));
      const at = "2026-01-01T00:00:00.000Z";
      await watched.updateStep("acme", id, 1, { action: "fail", at, error: "retry later", nextAttemptAt: "2026-01-01T01:00:00.000Z" });
      expect(dead).toEqual([]);
      await watched.updateStep("acme", id, 1, { action: "fail", at, error: "out of attempts", nextAttemptAt: null });
      await watched.updateStep("acme", id, 2, { action: "fail", at, error: "also dead", nextAttemptAt: null });
      expect(dead).toEqual([{ id, step: 1 }]);
      expect((await watched.countEntries("acme")).dead).toBe(1);
      expect(watched.engine).toBe(db.engine);
    });

    it("tells the deaths of a batch of changes too, and none for a change that failed", async () => {
      const [a, b] = [await seatPassenger(db, "acme", { external_id: "a", notified: true }), await seatPassenger(db, "acme", { external_id: "b", notified: true })];
      const dead: string[] = [];
      const watched = watchDeaths(db, (entry) => void dead.push(entry.passenger.id));
      const fail = { action: "fail" as const, at: "2026-01-01T00:00:00.000Z", error: "gone", nextAttemptAt: null };
      const results = await watched.updateSteps("acme", [
        { id: a, stepIndex: 1, change: fail },
        { id: b, stepIndex: 0, change: fail },
        { id: b, stepIndex: 1, change: { action: "succeed", at: fail.at } },
      ]);
      expect(results[1]).toBeInstanceOf(Error);
      expect(dead).toEqual([a]);
    });
  });
});
