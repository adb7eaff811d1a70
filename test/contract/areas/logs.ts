/** Contract area: logs (entries in order, worst level, paging, filters, purge with config backups). */
import { expect } from "bun:test";
import type { LogEntry } from "../../../src/sdk";
import type { ContractContext } from "../database.contract";
import { CLIENT, DEFINITION, clientConfig, expectCode, nextId } from "../builders";

const entry = (level: LogEntry["level"], message: string, at = "2024-05-01T10:00:01.000Z"): LogEntry => ({ at, level, source: "dispatcher", message });

export function logs(t: ContractContext): void {
  t.area("logs", () => {
    t.it("appends entries in order and follows the worst level", async () => {
      const id = nextId();
      await t.db().createLog(CLIENT, { origin: "run", id, at: "2024-05-01T10:00:00.000Z", title: `run ${DEFINITION}`, definition: DEFINITION });
      expect(await t.db().readLog(CLIENT, id)).toMatchObject({ id, level: "info", entries_count: 0, entries: [] });
      await t.db().appendLog(CLIENT, id, [entry("info", "one"), entry("error", "two")]);
      await t.db().appendLog(CLIENT, id, [entry("warning", "three")]);
      const log = await t.db().readLog(CLIENT, id);
      expect(log?.entries.map((e) => e.message)).toEqual(["one", "two", "three"]);
      expect(log?.level).toBe("error");
      expect(log?.entries_count).toBe(3);
      expect(log?.title).toBe(`run ${DEFINITION}`);
      expect(log?.definition).toBe(DEFINITION);
    });

    t.it("answers undefined for an unknown log and raises DBUS_STO_LOG_NOT_FOUND on append", async () => {
      expect(await t.db().readLog(CLIENT, nextId())).toBeUndefined();
      await expectCode(t.db().appendLog(CLIENT, nextId(), [entry("info", "x")]), "DBUS_STO_LOG_NOT_FOUND");
    });

    t.it("lists headers newest first with paging, level and definition filters", async () => {
      const made: string[] = [];
      for (let h = 0; h < 5; h++) {
        const id = nextId();
        made.push(id);
        await t.db().createLog(CLIENT, { origin: "run", id, at: `2024-05-01T0${h}:00:00.000Z`, title: `run ${h}`, definition: h === 4 ? null : DEFINITION });
        if (h === 1) await t.db().appendLog(CLIENT, id, [entry("warning", "w")]);
        if (h === 2) await t.db().appendLog(CLIENT, id, [entry("error", "e")]);
      }
      const all = await t.db().listLogs(CLIENT, {}, { offset: 0, limit: 10 });
      expect(all.total).toBe(5);
      expect(all.logs.map((l) => l.id)).toEqual([...made].reverse());
      expect(all.logs[0]).not.toHaveProperty("entries");
      const page = await t.db().listLogs(CLIENT, {}, { offset: 1, limit: 2 });
      expect(page.total).toBe(5);
      expect(page.logs.map((l) => l.id)).toEqual([made[3]!, made[2]!]);
      const bad = await t.db().listLogs(CLIENT, { level: "warning" }, { offset: 0, limit: 10 });
      expect(bad.logs.map((l) => [l.id, l.level])).toEqual([
        [made[2]!, "error"],
        [made[1]!, "warning"],
      ]);
      expect((await t.db().listLogs(CLIENT, { definition: DEFINITION }, { offset: 0, limit: 10 })).total).toBe(4);
      const recent = await t.db().listLogs(CLIENT, { since: "2024-05-01T03:00:00.000Z" }, { offset: 0, limit: 10 });
      expect(recent.logs.map((l) => l.id)).toEqual([made[4]!, made[3]!]);
    });

    t.it("keeps where a log came from and filters by it", async () => {
      const run = nextId();
      const action = nextId();
      await t.db().createLog(CLIENT, { origin: "run", id: run, at: "2024-05-03T10:00:00.000Z", title: "run", definition: DEFINITION });
      await t.db().createLog(CLIENT, { origin: "console", id: action, at: "2024-05-03T10:00:01.000Z", title: "console: retry", definition: DEFINITION });
      const since = "2024-05-03T00:00:00.000Z";
      expect((await t.db().listLogs(CLIENT, { since, origin: "run" }, { offset: 0, limit: 10 })).logs.map((l) => l.id)).toEqual([run]);
      expect((await t.db().listLogs(CLIENT, { since, origin: "console", definition: DEFINITION }, { offset: 0, limit: 10 })).logs.map((l) => l.id)).toEqual([action]);
      expect(await t.db().readLog(CLIENT, action)).toMatchObject({ origin: "console" });
    });

    t.it("keeps the instance that ran a log, on the header and the log (#5)", async () => {
      const ran = nextId();
      const action = nextId();
      await t.db().createLog(CLIENT, { origin: "run", id: ran, at: "2024-05-04T10:00:00.000Z", title: "run", definition: DEFINITION, instance: "node-a:4242" });
      await t.db().createLog(CLIENT, { origin: "console", id: action, at: "2024-05-04T10:00:01.000Z", title: "console: retry", definition: null });
      await t.db().appendLog(CLIENT, ran, [entry("info", "one")]);
      await t.db().finishLog(CLIENT, ran, "2024-05-04T10:00:02.000Z", { pulled: 1, seated: 1, delivered: 1, failed: 0 });
      expect((await t.db().readLog(CLIENT, ran))?.instance).toBe("node-a:4242");
      const headers = (await t.db().listLogs(CLIENT, { since: "2024-05-04T00:00:00.000Z" }, { offset: 0, limit: 10 })).logs;
      expect(headers.map((h) => [h.id, h.instance ?? null])).toEqual([
        [action, null],
        [ran, "node-a:4242"],
      ]);
    });

    t.it("records when a run finished and what it did, on the header", async () => {
      const id = nextId();
      await t.db().createLog(CLIENT, { origin: "run", id, at: "2024-05-02T10:00:00.000Z", title: "run", definition: DEFINITION });
      const before = (await t.db().listLogs(CLIENT, { since: "2024-05-02T00:00:00.000Z" }, { offset: 0, limit: 1 })).logs[0];
      expect(before).toMatchObject({ id, finished_at: null, counts: null });
      const counts = { pulled: 5, seated: 4, delivered: 7, failed: 1 };
      await t.db().finishLog(CLIENT, id, "2024-05-02T10:00:03.000Z", counts);
      const after = (await t.db().listLogs(CLIENT, { since: "2024-05-02T00:00:00.000Z" }, { offset: 0, limit: 1 })).logs[0];
      expect(after).toMatchObject({ id, finished_at: "2024-05-02T10:00:03.000Z", counts });
      expect(await t.db().readLog(CLIENT, id)).toMatchObject({ finished_at: "2024-05-02T10:00:03.000Z", counts });
      await expectCode(t.db().finishLog(CLIENT, nextId(), "2024-05-02T10:00:03.000Z", counts), "DBUS_STO_LOG_NOT_FOUND");
    });

    t.it("purges logs and config backups older than the cutoff", async () => {
      const oldId = nextId();
      const newId = nextId();
      await t.db().createLog(CLIENT, { origin: "run", id: oldId, at: "2020-01-01T00:00:00.000Z", title: "old", definition: null });
      await t.db().createLog(CLIENT, { origin: "run", id: newId, at: "2999-01-01T00:00:00.000Z", title: "future", definition: null });
      await t.db().writeConfig(CLIENT, clientConfig({ note: "changed" }));
      expect(await t.db().purgeLogs(CLIENT, "2000-01-01T00:00:00.000Z")).toBe(0);
      expect(await t.db().listConfigBackups(CLIENT)).toHaveLength(1);
      expect(await t.db().purgeLogs(CLIENT, "2998-01-01T00:00:00.000Z")).toBe(1);
      expect(await t.db().readLog(CLIENT, oldId)).toBeUndefined();
      expect(await t.db().readLog(CLIENT, newId)).toBeDefined();
      expect(await t.db().listConfigBackups(CLIENT)).toEqual([]);
    });
  });
}
