import { beforeEach, describe, expect, it } from "bun:test";
import type { Database, StepUpdate } from "../../../src/storage/database";
import { MAX_BATCH, StepRecorder } from "../../../src/dispatcher/step-recorder";
import { seatPassenger } from "../../support/web";
import { useJsonStore } from "../../support/temp-home";

const at = "2026-01-01T00:00:00.000Z";

/** The store seen through a window that counts updateSteps calls and their sizes. */
function counting(db: Database): { db: Database; calls: number[] } {
  const calls: number[] = [];
  const updateSteps = (client: string, updates: StepUpdate[]) => {
    calls.push(updates.length);
    return db.updateSteps(client, updates);
  };
  const wrapped = new Proxy(db, { get: (target, prop) => (prop === "updateSteps" ? updateSteps : Reflect.get(target, prop, target)) });
  return { db: wrapped, calls };
}

describe("step recorder", () => {
  const store = useJsonStore("databus-recorder-");
  let db: Database;
  beforeEach(() => {
    db = store();
  });

  describe("when changes are asked for in one turn", () => {
    it("sends them in one store call and gives each caller its own entry", async () => {
      const ids = await Promise.all(["a", "b", "c"].map((x) => seatPassenger(db, "acme", { external_id: x })));
      const counted = counting(db);
      const recorder = new StepRecorder(counted.db, "acme");
      const entries = await Promise.all(ids.map((id) => recorder.update(id, 0, { action: "succeed", at })));
      expect(counted.calls).toEqual([3]);
      expect(entries.map((e) => e.passenger.id)).toEqual(ids);
      expect(entries.every((e) => e.steps[0]!.state === "done")).toBe(true);
    });

    it("rejects only the caller whose change was refused", async () => {
      const [ok, refused] = await Promise.all(["a", "b"].map((x) => seatPassenger(db, "acme", { external_id: x })));
      await db.updateStep("acme", refused!, 0, { action: "succeed", at });
      const recorder = new StepRecorder(db, "acme");
      const [first, second] = await Promise.allSettled([ok!, refused!].map((id) => recorder.update(id, 0, { action: "succeed", at })));
      expect(first!.status).toBe("fulfilled");
      expect((second as PromiseRejectedResult).reason.code).toBe("DBUS_Q_ACTION_NOT_ALLOWED");
    });

    it("stores a passenger change with its step", async () => {
      const id = await seatPassenger(db, "acme", { external_id: "p", notified: true, processors: ["acme/proc"] });
      const entry = await new StepRecorder(db, "acme").update(id, 1, { action: "succeed", at }, { payload: { stamped: true }, attachments: [] });
      expect(entry.steps[1]!.state).toBe("done");
      expect((await db.getPassenger("acme", id)).payload).toEqual({ stamped: true });
    });
  });

  describe("when the store fails the whole call", () => {
    it("rejects every caller of that call with the store's error", async () => {
      const failing = new Proxy(db, {
        get: (target, prop) => (prop === "updateSteps" ? () => Promise.reject(new Error("disk full")) : Reflect.get(target, prop, target)),
      });
      const recorder = new StepRecorder(failing, "acme");
      const results = await Promise.allSettled(["x", "y"].map((id) => recorder.update(id, 0, { action: "succeed", at })));
      expect(results.map((r) => (r as PromiseRejectedResult).reason?.message)).toEqual(["disk full", "disk full"]);
    });
  });

  describe("when more changes come at once than one call takes", () => {
    it("sends them in calls of at most MAX_BATCH", async () => {
      const seen: number[] = [];
      const fake = new Proxy(db, {
        get: (target, prop) =>
          prop === "updateSteps"
            ? async (_client: string, updates: StepUpdate[]) => (seen.push(updates.length), updates.map(() => new Error("not here")))
            : Reflect.get(target, prop, target),
      });
      const recorder = new StepRecorder(fake, "acme");
      await Promise.allSettled(Array.from({ length: MAX_BATCH + 5 }, (_, i) => recorder.update(`id-${i}`, 0, { action: "succeed", at })));
      expect(seen).toEqual([MAX_BATCH, 5]);
    });
  });
});
