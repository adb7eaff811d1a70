/** Contract area: several step changes in one call (updateSteps), as the dispatcher records a run. */
import { expect } from "bun:test";
import type { QueueEntry } from "../../../src/core/queue-entry";
import type { ContractContext } from "../database.contract";
import { CLIENT, T0, nextId, request, textAttachment } from "../builders";

const T1 = "2024-05-01T11:00:00.000Z";

const entryOf = (r: QueueEntry | Error): QueueEntry => {
  if (r instanceof Error) throw r;
  return r;
};

export function stepBatches(t: ContractContext): void {
  t.area("step changes in batches", () => {
    t.it("applies each change to its entry and returns each entry as its change left it", async () => {
      const [a, b] = [request(), request({}, [], ["acme/x", "acme/y"])];
      await t.db().seat(CLIENT, [a!, b!]);
      const results = await t.db().updateSteps(CLIENT, [
        { id: a!.passenger.id, stepIndex: 0, change: { action: "succeed", at: T0 } },
        { id: b!.passenger.id, stepIndex: 2, change: { action: "fail", at: T0, error: "boom", nextAttemptAt: T1 } },
      ]);
      expect(entryOf(results[0]!).steps.map((s) => s.state)).toEqual(["done", "pending"]);
      expect(entryOf(results[1]!).steps[2]).toMatchObject({ state: "failed", last_error: "boom", next_attempt_at: T1 });
      expect((await t.db().getEntry(CLIENT, b!.passenger.id))?.steps[2]!.state).toBe("failed");
      expect(await t.db().countEntries(CLIENT)).toEqual({ pending: 1, failed: 1, dead: 0, complete: 0 });
    });

    t.it("applies two changes to one entry one after the other, and completes it", async () => {
      const r = request({}, [], ["acme/x"]);
      await t.db().seat(CLIENT, [r]);
      const id = r.passenger.id;
      const results = await t.db().updateSteps(CLIENT, [
        { id, stepIndex: 0, change: { action: "succeed", at: T0 } },
        { id, stepIndex: 1, change: { action: "succeed", at: T1 } },
      ]);
      expect(entryOf(results[0]!).steps.map((s) => s.state)).toEqual(["done", "pending"]);
      expect(entryOf(results[1]!).completed_at).toBe(T1);
      expect((await t.db().countEntries(CLIENT)).complete).toBe(1);
      // The second of two identical changes is refused by the table, as it would be one call later.
      const other = request();
      await t.db().seat(CLIENT, [other]);
      const succeed = { id: other.passenger.id, stepIndex: 0, change: { action: "succeed" as const, at: T1 } };
      const twice = await t.db().updateSteps(CLIENT, [succeed, succeed]);
      expect(entryOf(twice[0]!).steps[0]!.state).toBe("done");
      expect((twice[1] as { code?: string }).code).toBe("DBUS_Q_ACTION_NOT_ALLOWED");
    });

    t.it("fails a refused change and a missing entry alone: the others are made", async () => {
      const [ok, refused] = [request(), request()];
      await t.db().seat(CLIENT, [ok!, refused!]);
      await t.db().updateStep(CLIENT, refused!.passenger.id, 0, { action: "succeed", at: T0 });
      const results = await t.db().updateSteps(CLIENT, [
        { id: refused!.passenger.id, stepIndex: 0, change: { action: "succeed", at: T1 } },
        { id: nextId(), stepIndex: 0, change: { action: "succeed", at: T1 } },
        { id: ok!.passenger.id, stepIndex: 0, change: { action: "succeed", at: T1 } },
      ]);
      expect((results[0] as { code?: string }).code).toBe("DBUS_Q_ACTION_NOT_ALLOWED");
      expect((results[1] as { code?: string }).code).toBe("DBUS_Q_ENTRY_NOT_FOUND");
      expect(entryOf(results[2]!).steps[0]!.state).toBe("done");
      expect((await t.db().getEntry(CLIENT, ok!.passenger.id))?.steps[0]!.state).toBe("done");
    });

    t.it("counts entries by the changes that were made, not by those refused", async () => {
      const [completes, already, refusedWithPassenger] = [request({}, [], []), request({}, [], []), request({}, ["acme/proc"], [])];
      await t.db().seat(CLIENT, [completes!, already!, refusedWithPassenger!]);
      await t.db().updateStep(CLIENT, already!.passenger.id, 0, { action: "succeed", at: T0 });
      await t.db().updateStep(CLIENT, refusedWithPassenger!.passenger.id, 0, { action: "succeed", at: T0 });
      expect(await t.db().countEntries(CLIENT)).toEqual({ pending: 2, failed: 0, dead: 0, complete: 1 });
      const results = await t.db().updateSteps(CLIENT, [
        { id: already!.passenger.id, stepIndex: 0, change: { action: "succeed", at: T1 } },
        { id: refusedWithPassenger!.passenger.id, stepIndex: 0, change: { action: "succeed", at: T1 }, passenger: { payload: 1, attachments: [] } },
        { id: completes!.passenger.id, stepIndex: 0, change: { action: "succeed", at: T1 } },
        { id: nextId(), stepIndex: 0, change: { action: "succeed", at: T1 } },
      ]);
      expect(results.map((r) => (r instanceof Error ? (r as { code?: string }).code : "made"))).toEqual([
        "DBUS_Q_ACTION_NOT_ALLOWED",
        "DBUS_Q_ACTION_NOT_ALLOWED",
        "made",
        "DBUS_Q_ENTRY_NOT_FOUND",
      ]);
      expect(await t.db().countEntries(CLIENT)).toEqual({ pending: 1, failed: 0, dead: 0, complete: 2 });
      expect(await t.db().listEntries(CLIENT, { state: "complete" }, { offset: 0, limit: 10 })).toMatchObject({ total: 2 });
    });

    t.it("stores a processor's new payload and attachments with its step, or neither when the step is refused", async () => {
      const r = request({ attachments: [textAttachment("old.txt", "old")] }, ["acme/proc"], ["acme/x"]);
      await t.db().seat(CLIENT, [r]);
      const id = r.passenger.id;
      const passenger = { payload: { n: 2 }, attachments: [textAttachment("new.txt", "new")] };
      const [done] = await t.db().updateSteps(CLIENT, [{ id, stepIndex: 1, change: { action: "succeed", at: T0 }, passenger }]);
      expect(entryOf(done!).steps[1]!.state).toBe("done");
      const stored = await t.db().getPassenger(CLIENT, id);
      expect(stored.payload).toEqual({ n: 2 });
      expect(stored.attachments.map((a) => [a.name, a.content])).toEqual([["new.txt", "new"]]);
      expect(await t.db().readAttachment(CLIENT, id, "old.txt")).toBeUndefined();

      const [refused] = await t.db().updateSteps(CLIENT, [
        { id, stepIndex: 1, change: { action: "succeed", at: T1 }, passenger: { payload: { n: 3 }, attachments: [] } },
      ]);
      expect((refused as { code?: string }).code).toBe("DBUS_Q_ACTION_NOT_ALLOWED");
      expect((await t.db().getPassenger(CLIENT, id)).payload).toEqual({ n: 2 });
      expect((await t.db().readAttachment(CLIENT, id, "new.txt"))?.content).toBe("new");
    });

    t.it("keeps attachments a processor handed back as they were, and stores one it changed in place or renamed", async () => {
      const bytes = new Uint8Array([1, 2, 3, 4]);
      const r = request({ attachments: [textAttachment("a.txt", "same"), { name: "b.bin", content: bytes, media_type: "application/octet-stream" }, textAttachment("c.txt", "c")] }, ["acme/proc"], ["acme/x"]);
      await t.db().seat(CLIENT, [r]);
      const id = r.passenger.id;
      const read = await t.db().getPassenger(CLIENT, id);
      const [a, b, c] = read.attachments;
      (b!.content as Uint8Array)[0] = 9; // changed in place, same size
      const attachments = [a!, b!, { ...c!, name: "d.txt" }];
      const [done] = await t.db().updateSteps(CLIENT, [{ id, stepIndex: 1, change: { action: "succeed", at: T0 }, passenger: { payload: { n: 5 }, attachments } }]);
      entryOf(done!);
      const again = await t.reopen();
      const stored = await again.getPassenger(CLIENT, id);
      expect(stored.payload).toEqual({ n: 5 });
      expect(stored.attachments.map((x) => [x.name, typeof x.content === "string" ? x.content : [...x.content]])).toEqual([
        ["a.txt", "same"],
        ["b.bin", [9, 2, 3, 4]],
        ["d.txt", "c"],
      ]);
      expect(await again.readAttachment(CLIENT, id, "c.txt")).toBeUndefined();
    });

    t.it("returns each entry with its attachment list as its change left it", async () => {
      const kept = request({ attachments: [textAttachment("a.txt", "a"), textAttachment("b.txt", "bb")] }, [], ["acme/x", "acme/y"]);
      const replaced = request({ attachments: [textAttachment("old.txt", "old")] }, ["acme/proc"], ["acme/x"]);
      await t.db().seat(CLIENT, [kept, replaced]);
      const names = (r: QueueEntry | Error) => entryOf(r).attachments.map((a) => [a.name, a.size]);
      const results = await t.db().updateSteps(CLIENT, [
        { id: kept.passenger.id, stepIndex: 0, change: { action: "succeed", at: T0 } },
        { id: replaced.passenger.id, stepIndex: 0, change: { action: "succeed", at: T0 } },
        { id: replaced.passenger.id, stepIndex: 1, change: { action: "succeed", at: T0 }, passenger: { payload: null, attachments: [textAttachment("new.txt", "new!")] } },
        { id: kept.passenger.id, stepIndex: 1, change: { action: "succeed", at: T1 } },
        { id: replaced.passenger.id, stepIndex: 2, change: { action: "succeed", at: T1 } },
      ]);
      expect(results.map(names)).toEqual([
        [["a.txt", 1], ["b.txt", 2]],
        [["old.txt", 3]],
        [["new.txt", 4]],
        [["a.txt", 1], ["b.txt", 2]],
        [["new.txt", 4]],
      ]);
    });

    t.it("keeps what a batch stored after a reopen", async () => {
      const r = request({}, ["acme/proc"], []);
      await t.db().seat(CLIENT, [r]);
      const id = r.passenger.id;
      await t.db().updateSteps(CLIENT, [
        { id, stepIndex: 0, change: { action: "succeed", at: T0 } },
        { id, stepIndex: 1, change: { action: "succeed", at: T1 }, passenger: { payload: { n: 9 }, attachments: [] } },
      ]);
      const again = await t.reopen();
      expect((await again.getEntry(CLIENT, id))?.completed_at).toBe(T1);
      expect((await again.getPassenger(CLIENT, id)).payload).toEqual({ n: 9 });
    });
  });
}
