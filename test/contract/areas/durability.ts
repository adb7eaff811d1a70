/** Contract area: durability across reopen (close, open again on the same storage, see everything). */
import { expect } from "bun:test";
import type { ContractContext } from "../database.contract";
import { CLIENT, DEFINITION, T0, clientConfig, nextId, request, textAttachment } from "../builders";

export function durability(t: ContractContext): void {
  t.area("durability across reopen", () => {
    t.it("sees clients, configs, backups, users, entries, statuses, logs and state after a reopen", async () => {
      const db = t.db();
      const hash = await Bun.password.hash("pw", { algorithm: "argon2id" });
      await db.writeConfig(CLIENT, clientConfig({ note: "v2" }));
      await db.putUser(CLIENT, { username: "ann", role: "administrator", password_hash: hash });
      await db.writeClientFile(CLIENT, "map.csv", "a;b\n");
      const r = request({ attachments: [textAttachment("a.txt", "hello")] });
      const done = request({}, [], []);
      await db.seat(CLIENT, [r, done]);
      await db.updateStep(CLIENT, r.passenger.id, 0, { action: "fail", at: T0, error: "boom", nextAttemptAt: null });
      await db.updateStep(CLIENT, done.passenger.id, 0, { action: "succeed", at: T0 });
      const logId = nextId();
      await db.createLog(CLIENT, { origin: "run", id: logId, at: T0, title: "run", definition: DEFINITION });
      await db.appendLog(CLIENT, logId, [{ at: T0, level: "warning", source: "dispatcher", message: "careful" }]);
      await db.setState(CLIENT, "acme/p", "cursor", 42);
      const configBefore = await db.readConfig(CLIENT);
      const backupsBefore = await db.listConfigBackups(CLIENT);

      const again = await t.reopen();
      expect(await again.listClients()).toEqual([CLIENT]);
      expect(await again.readConfig(CLIENT)).toBe(configBefore);
      expect(await again.listConfigBackups(CLIENT)).toEqual(backupsBefore);
      expect(await again.listUsers(CLIENT)).toEqual([{ username: "ann", role: "administrator", password_hash: hash }]);
      expect(await again.readClientFile(CLIENT, "map.csv")).toBe("a;b\n");
      expect(await again.countEntries(CLIENT)).toEqual({ pending: 0, failed: 0, dead: 1, complete: 1 });
      const entry = await again.getEntry(CLIENT, r.passenger.id);
      expect(entry?.steps[0]).toMatchObject({ state: "failed", last_error: "boom", attempts: 1 });
      expect((await again.getEntry(CLIENT, done.passenger.id))?.completed_at).toBe(T0);
      expect((await again.readAttachment(CLIENT, r.passenger.id, "a.txt"))?.content).toBe("hello");
      const log = await again.readLog(CLIENT, logId);
      expect(log?.level).toBe("warning");
      expect(log?.entries.map((e) => e.message)).toEqual(["careful"]);
      expect((await again.listLogs(CLIENT, {}, { offset: 0, limit: 5 })).total).toBe(1);
      expect(await again.getState(CLIENT, "acme/p", "cursor")).toBe(42);
    });

    t.it("keeps the queue order and filters after a reopen", async () => {
      const rs = [request({ external_id: "first" }), request({ external_id: "second" })];
      for (const x of rs) await t.db().seat(CLIENT, [x]);
      const again = await t.reopen();
      const page = await again.listEntries(CLIENT, { text: "s" }, { offset: 0, limit: 10 }, "seated_at");
      expect(page.entries.map((e) => e.passenger.external_id)).toEqual(["first", "second"]);
      expect(await again.listDue(CLIENT, DEFINITION, T0, 10)).toEqual(rs.map((x) => x.passenger.id));
    });
  });
}
