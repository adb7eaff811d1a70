/**
 * Bad client configs disable only that client or definition: the reason is on the console
 * (currentProblems, report), in the client's logs once per change and again when fixed; fixing
 * the file brings it back without a restart, and a healthy client runs on schedule throughout.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import type { Clock } from "../../../src/core/clock";
import { Dispatcher } from "../../../src/dispatcher/dispatcher";
import { loadPlugins } from "../../../src/plugins/load";
import type { PluginRegistry } from "../../../src/plugins/registry";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

const FIXTURES = join(import.meta.dir, "../../fixtures/plugins");
const MINUTE = 60_000;
const T0 = Date.parse("2026-04-01T08:00:00Z");

const config = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    passengers: [{ name: "t/passenger-plain", pullers: ["t/puller-one-new-each-run"], pushers: ["t/pusher-accepts"], sync_frequency: "1m", ...over }],
  });

const CASES: Array<{ when: string; text: string; problem: string }> = [
  {
    when: "the config is not JSON",
    text: '{\n  "passengers": [\n    { "name": "t/passenger-plain", }\n',
    problem: "DBUS_CFG_INVALID_JSON The configuration of client broken is not valid JSON (data/clients/broken/config.json, line 3",
  },
  {
    when: "a field has the wrong type",
    text: config({ sync_frequency: true }),
    problem: "DBUS_CFG_INVALID_FIELD Client broken: `passengers[0].sync_frequency`",
  },
  {
    when: "a definition names an unknown plugin",
    text: config({ pushers: ["t/no-such-pusher"] }),
    problem: "DBUS_CFG_UNKNOWN_DRIVER Passenger definition t/passenger-plain of client broken uses the pusher `t/no-such-pusher`, but no plugin has that name.",
  },
  {
    when: "a definition names a missing passenger type",
    text: config({ name: "t/no-such-type" }),
    problem: "DBUS_CFG_UNKNOWN_DRIVER Passenger definition t/no-such-type of client broken uses the passenger `t/no-such-type`, but no plugin has that name.",
  },
];

describe("Dispatcher bad configuration", () => {
  let t: TempHome;
  let db: Database;
  let registry: PluginRegistry;
  let d: Dispatcher;
  let now = T0;
  const clock: Clock = { now: () => now };
  const reports: string[] = [];

  const tickAt = async (minutes: number) => {
    now = T0 + minutes * MINUTE;
    await d.tick();
    await d.idle();
  };
  const consoleLogs = async (client: string) => {
    const out: Array<{ title: string; level: string; message: string }> = [];
    for (const h of (await db.listLogs(client, { origin: "console" }, { offset: 0, limit: 100 })).logs)
      for (const e of (await db.readLog(client, h.id))!.entries) out.push({ title: h.title, level: e.level, message: e.message });
    return out;
  };
  const completed = async (client: string) => (await db.countEntries(client)).complete;

  beforeEach(async () => {
    t = await createTempHome("databus-bad-config-");
    await cp(FIXTURES, join(t.home, "plugins", "t"), { recursive: true });
    registry = await loadPlugins(t.home);
    now = T0;
    reports.length = 0;
    db = createJsonDatabase(t.dataDir, { clock });
    await db.open();
    await db.createClient("good", config());
  });
  afterEach(async () => {
    await d.shutdown();
    await db.close();
    await t.cleanup();
  });

  for (const c of CASES) {
    describe(`when ${c.when}`, () => {
      it("disables only that client or definition, says why once, and comes back when the file is fixed", async () => {
        await db.createClient("broken", c.text);
        d = new Dispatcher({ db, registry, clock, home: t.home, tickMs: 3_600_000, concurrency: 4, graceMs: 1000, report: (l) => reports.push(l) });
        d.start();
        await d.idle();

        expect(d.currentProblems()).toHaveLength(1);
        expect(d.currentProblems()[0]).toStartWith(c.problem);
        expect(reports.filter((r) => r.startsWith(c.problem))).toHaveLength(1);
        const logged = await consoleLogs("broken");
        expect(logged).toEqual([{ title: "configuration problem", level: "error", message: d.currentProblems()[0]! }]);
        expect(await completed("good")).toBe(1);
        expect(await completed("broken")).toBe(0);

        await tickAt(1);
        expect(await completed("good")).toBe(2);
        expect(await consoleLogs("broken")).toHaveLength(1); // once per change, not once per tick
        expect(reports.filter((r) => r.startsWith(c.problem))).toHaveLength(1);

        await db.writeConfig("broken", config());
        await tickAt(2);
        expect(d.currentProblems()).toEqual([]);
        expect(await completed("broken")).toBe(1);
        expect(await completed("good")).toBe(3);
        const after = await consoleLogs("broken");
        expect(after).toHaveLength(2);
        expect(after.find((l) => l.title === "configuration fixed")).toMatchObject({ level: "info" });
        expect(after.find((l) => l.title === "configuration fixed")!.message).toContain(`runs again. It was: ${c.problem}`);
      });
    });
  }

  describe("when a broken client is deleted", () => {
    it("drops its problem from the console", async () => {
      await db.createClient("broken", "not json");
      d = new Dispatcher({ db, registry, clock, home: t.home, tickMs: 3_600_000, concurrency: 4, graceMs: 1000 });
      d.start();
      await d.idle();
      expect(d.currentProblems()).toHaveLength(1);
      await db.deleteClient("broken");
      await tickAt(1);
      expect(d.currentProblems()).toEqual([]);
    });
  });
});
