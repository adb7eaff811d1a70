import { describe, expect, it } from "bun:test";
import { EntryVersion, lazyEntry, nextPassenger, nextStatus } from "../../../../src/storage/json/entry-changes";
import type { StoredStatus } from "../../../../src/storage/json/entry-files";
import { JsonText } from "../../../../src/storage/json/journal-ops";
import { Layout } from "../../../../src/storage/json/layout";
import { toMeta } from "../../../../src/storage/json/entry-cache";
import { initialSteps } from "../../../../src/core/queue-entry";

const ID = "01900000-0000-7000-8000-000000000001";
const T0 = "2024-05-01T10:00:00.000Z";
const T1 = "2024-05-01T11:00:00.000Z";
const status = (): StoredStatus => ({ seated_at: T0, completed_at: null, steps: initialSteps("acme/pull", ["acme/proc"], ["acme/push"], T0) });
const passengerText = JSON.stringify({ id: ID, type: "t", external_id: "e", source_system: "s", pulled_at: T0, puller: "acme/pull", payload: { n: 1 }, log_ids: [], attachments: [{ name: "old.txt", media_type: "text/plain", size: 3, text: true }] });
const layout = new Layout("/data");

describe("json entry changes", () => {
  describe("when a step changes", () => {
    it("leaves the old status as it was and completes the entry on its last step", () => {
      const before = status();
      const after = nextStatus(before, ID, 0, { action: "succeed", at: T0 });
      expect(before.steps[0]!.state).toBe("pending");
      expect(after.steps[0]!.state).toBe("done");
      const done = [1, 2].reduce((s, i) => nextStatus(s, ID, i, { action: "succeed", at: T1 }), after);
      expect(done.completed_at).toBe(T1);
    });

    it("refuses a step that is not there, or a change the table forbids", () => {
      expect(() => nextStatus(status(), ID, 7, { action: "succeed", at: T0 })).toThrow(expect.objectContaining({ code: "DBUS_Q_ACTION_NOT_ALLOWED" }));
      expect(() => nextStatus(status(), ID, 0, { action: "retry", at: T0 })).toThrow(expect.objectContaining({ code: "DBUS_Q_ACTION_NOT_ALLOWED" }));
    });
  });

  describe("when a processor replaced the passenger", () => {
    it("keeps its own copy: the caller changing its payload later changes nothing stored", () => {
      const payload = { n: 2, list: [1] };
      const meta = toMeta(JSON.parse(passengerText));
      const next = nextPassenger(meta, payload, []);
      payload.list.push(2);
      expect(JSON.parse(next.text).payload).toEqual({ n: 2, list: [1] });
      expect(next.meta).toEqual({ ...meta, attachments: [] });
      expect("payload" in next.meta).toBe(false);
      expect(next.meta.log_ids).not.toBe(meta.log_ids);
    });
  });

  describe("when several updates reach one entry in one call", () => {
    it("applies each to what the previous left and makes one record: attachments, passenger, then status", () => {
      const v = new EntryVersion(ID, { passengerText, status: status() });
      expect(v.changed).toBe(false);
      v.apply({ id: ID, stepIndex: 0, change: { action: "succeed", at: T0 } });
      const entry = v.apply({ id: ID, stepIndex: 1, change: { action: "succeed", at: T1 }, passenger: { payload: { n: 2 }, attachments: [{ name: "new.txt", content: "new" }] } });
      expect(entry.steps.map((s) => s.state)).toEqual(["done", "done", "pending"]);
      expect(entry.passenger.payload).toEqual({ n: 2 });
      expect(v.changed).toBe(true);
      const ops = v.ops(layout, "acme");
      expect(ops.map((op) => [op.op, op.path.split("/").slice(-2).join("/")])).toEqual([
        ["write", "attachments/new.txt"],
        ["write", `${ID}/passenger.json`],
        ["remove", "attachments/old.txt"],
        ["write", `${ID}/status.json`],
      ]);
      expect(ops[3]).toMatchObject({ json: { steps: [{ state: "done" }, { state: "done" }, { state: "pending" }] } });
      // The new passenger travels as the text the cache keeps (not stringified again for the journal).
      const passengerJson = (ops[1] as { json: unknown }).json;
      expect(passengerJson).toBeInstanceOf(JsonText);
      expect((passengerJson as JsonText).text).toBe(v.cached.passengerText);
      expect(JSON.parse(v.cached.passengerText)).toMatchObject({ payload: { n: 2 }, attachments: [{ name: "new.txt" }] });
    });

    it("leaves out the writes of attachments the entry's files hold already, but lists them in the passenger", () => {
      const v = new EntryVersion(ID, { passengerText, status: status() });
      const attachments = [{ name: "old.txt", content: "old" }, { name: "new.txt", content: "new" }];
      v.apply({ id: ID, stepIndex: 0, change: { action: "succeed", at: T0 }, passenger: { payload: { n: 3 }, attachments } }, new Set(["old.txt"]));
      const ops = v.ops(layout, "acme");
      expect(ops.map((op) => [op.op, op.path.split("/").slice(-2).join("/")])).toEqual([
        ["write", "attachments/new.txt"],
        ["write", `${ID}/passenger.json`],
        ["write", `${ID}/status.json`],
      ]);
      expect(JSON.parse(v.cached.passengerText).attachments.map((a: { name: string }) => a.name)).toEqual(["old.txt", "new.txt"]);
    });

    it("leaves the entry as it was when an update is refused, passenger included", () => {
      const v = new EntryVersion(ID, { passengerText, status: status() });
      expect(() => v.apply({ id: ID, stepIndex: 0, change: { action: "retry", at: T0 }, passenger: { payload: { n: 9 }, attachments: [] } })).toThrow();
      expect(v.changed).toBe(false);
      expect(v.cached.passengerText).toBe(passengerText);
    });

    it("refuses an attachment whose name cannot be a file name", () => {
      const v = new EntryVersion(ID, { passengerText, status: status() });
      const bad = { id: ID, stepIndex: 1, change: { action: "succeed" as const, at: T0 }, passenger: { payload: null, attachments: [{ name: "../x", content: "" }] } };
      expect(() => v.apply(bad)).toThrow(expect.objectContaining({ code: "DBUS_RUN_BAD_PASSENGER" }));
    });
  });

  describe("when an entry is handed out", () => {
    it("gives a passenger that reads like a plain record, its payload parsed only when read, each reader its own", () => {
      const cached = { passengerText, status: status() };
      const a = lazyEntry(cached, status());
      expect(Object.keys(a.passenger)).toEqual(["id", "type", "external_id", "source_system", "pulled_at", "puller", "payload", "log_ids"]);
      expect(a.passenger.id).toBe(ID);
      expect({ ...a.passenger }).toEqual({ ...JSON.parse(passengerText), attachments: undefined, payload: { n: 1 } });
      (a.passenger.payload as { n: number }).n = 5;
      a.passenger.log_ids.push("changed");
      a.attachments.pop();
      a.passenger.payload = "replaced";
      expect(a.passenger.payload).toBe("replaced");
      const b = lazyEntry(cached, status());
      expect(b.passenger.payload).toEqual({ n: 1 });
      expect(b.passenger.log_ids).toEqual([]);
      expect(b.attachments.map((x) => x.name)).toEqual(["old.txt"]);
      expect(JSON.parse(JSON.stringify(b.passenger)).payload).toEqual({ n: 1 });
    });
  });
});
