/** Contract area: seat + dedupe on (source_system, external_id), reads and attachments. */
import { expect } from "bun:test";
import type { ContractContext } from "../database.contract";
import { CLIENT, PULLER, T0, expectCode, nextId, request, textAttachment } from "../builders";

export function seatAndDedupe(t: ContractContext): void {
  t.area("seat + dedupe", () => {
    t.it("seats passengers in request order with their steps", async () => {
      const a = request({ external_id: "a" });
      const b = request({ external_id: "b" }, ["acme/proc"], ["acme/push1", "acme/push2"]);
      const { seated, duplicates } = await t.db().seat(CLIENT, [a, b]);
      expect(duplicates).toEqual([]);
      expect(seated.map((e) => e.passenger.external_id)).toEqual(["a", "b"]);
      expect(seated[1]!.steps.map((s) => `${s.kind}:${s.name}:${s.state}`)).toEqual([
        `notify:${PULLER}:pending`,
        "processor:acme/proc:pending",
        "pusher:acme/push1:pending",
        "pusher:acme/push2:pending",
      ]);
      expect(seated[0]!.completed_at).toBeNull();
      expect(Number.isNaN(Date.parse(seated[0]!.seated_at))).toBe(false);
      const got = await t.db().getEntry(CLIENT, a.passenger.id);
      const { attachments: _none, ...record } = a.passenger;
      expect(got?.passenger).toEqual(record);
    });

    t.it("skips a passenger whose source and external id the queue already holds", async () => {
      await t.db().seat(CLIENT, [request({ external_id: "x-1", source_system: "ftp" })]);
      const again = request({ external_id: "x-1", source_system: "ftp" });
      const other = request({ external_id: "x-1", source_system: "mail" });
      const { seated, duplicates } = await t.db().seat(CLIENT, [again, other]);
      expect(duplicates.map((d) => d.passenger.id)).toEqual([again.passenger.id]);
      expect(seated.map((e) => e.passenger.id)).toEqual([other.passenger.id]);
      expect(await t.db().getEntry(CLIENT, again.passenger.id)).toBeUndefined();
    });

    t.it("skips a repeat inside one call", async () => {
      const first = request({ external_id: "dup" });
      const repeat = request({ external_id: "dup" });
      const { seated, duplicates } = await t.db().seat(CLIENT, [first, repeat]);
      expect(seated.map((e) => e.passenger.id)).toEqual([first.passenger.id]);
      expect(duplicates.map((d) => d.passenger.id)).toEqual([repeat.passenger.id]);
    });

    t.it("dedupes against entries in any state, and not after the entry is deleted", async () => {
      const r = request({ external_id: "k" }, [], []);
      await t.db().seat(CLIENT, [r]);
      await t.db().updateStep(CLIENT, r.passenger.id, 0, { action: "succeed", at: T0 });
      expect((await t.db().seat(CLIENT, [request({ external_id: "k" })])).duplicates).toHaveLength(1);
      await t.db().deleteEntry(CLIENT, r.passenger.id);
      expect((await t.db().seat(CLIENT, [request({ external_id: "k" })])).seated).toHaveLength(1);
    });

    t.it("dedupes against what was seated before a reopen", async () => {
      await t.db().seat(CLIENT, [request({ external_id: "persisted" })]);
      const db = await t.reopen();
      const { seated, duplicates } = await db.seat(CLIENT, [request({ external_id: "persisted" })]);
      expect(seated).toEqual([]);
      expect(duplicates).toHaveLength(1);
    });

    t.it("keeps text and binary attachments byte for byte", async () => {
      const bytes = new Uint8Array([0, 255, 1, 128, 10]);
      const r = request({
        attachments: [textAttachment("note.txt", "grüße\n"), { name: "blob.bin", content: bytes, media_type: "application/octet-stream" }],
      });
      await t.db().seat(CLIENT, [r]);
      const entry = await t.db().getEntry(CLIENT, r.passenger.id);
      expect(entry?.attachments).toEqual([
        { name: "note.txt", media_type: "text/plain", size: 8, text: true },
        { name: "blob.bin", media_type: "application/octet-stream", size: 5, text: false },
      ]);
      const full = await t.db().getPassenger(CLIENT, r.passenger.id);
      expect(full.attachments[0]!.content).toBe("grüße\n");
      expect(new Uint8Array(full.attachments[1]!.content as Uint8Array)).toEqual(bytes);
      const one = await t.db().readAttachment(CLIENT, r.passenger.id, "blob.bin");
      expect(new Uint8Array(one!.content as Uint8Array)).toEqual(bytes);
      expect(await t.db().readAttachment(CLIENT, r.passenger.id, "missing.txt")).toBeUndefined();
    });

    t.it("answers undefined for an unknown entry and raises DBUS_Q_ENTRY_NOT_FOUND where it must", async () => {
      const id = nextId();
      expect(await t.db().getEntry(CLIENT, id)).toBeUndefined();
      expect(await t.db().readAttachment(CLIENT, id, "a.txt")).toBeUndefined();
      await expectCode(t.db().getPassenger(CLIENT, id), "DBUS_Q_ENTRY_NOT_FOUND");
      await expectCode(t.db().updateStep(CLIENT, id, 0, { action: "succeed", at: T0 }), "DBUS_Q_ENTRY_NOT_FOUND");
    });

    t.it("replaces payload and attachments, and links logs once", async () => {
      const r = request({ attachments: [textAttachment("old.txt", "old"), textAttachment("keep.txt", "v1")] });
      await t.db().seat(CLIENT, [r]);
      const id = r.passenger.id;
      await t.db().updatePassenger(CLIENT, id, { n: 2 }, [textAttachment("keep.txt", "v2"), textAttachment("new.txt", "new")]);
      await t.db().linkLog(CLIENT, id, "log-1");
      await t.db().linkLog(CLIENT, id, "log-1");
      await t.db().linkLog(CLIENT, id, "log-2");
      const p = await t.db().getPassenger(CLIENT, id);
      expect(p.payload).toEqual({ n: 2 });
      expect(p.log_ids).toEqual(["log-1", "log-2"]);
      expect(p.attachments.map((a) => [a.name, a.content])).toEqual([
        ["keep.txt", "v2"],
        ["new.txt", "new"],
      ]);
      expect(await t.db().readAttachment(CLIENT, id, "old.txt")).toBeUndefined();
    });

    t.it("deletes an entry", async () => {
      const r = request();
      await t.db().seat(CLIENT, [r]);
      await t.db().deleteEntry(CLIENT, r.passenger.id);
      expect(await t.db().getEntry(CLIENT, r.passenger.id)).toBeUndefined();
      expect((await t.db().countEntries(CLIENT)).pending).toBe(0);
    });
  });
}
