import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Clock } from "../../../src/core/clock";
import { DatabusError } from "../../../src/core/errors";
import { ConfigProblems, WHOLE_CLIENT } from "../../../src/dispatcher/problems";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

const clock: Clock = { now: () => Date.parse("2026-04-01T08:00:00Z") };
const unknown = (name: string) => new DatabusError("DBUS_CFG_UNKNOWN_DRIVER", { client: "acme", definition: "acme/order", kind: "pusher", name });

describe("ConfigProblems", () => {
  let t: TempHome;
  let db: Database;
  let reports: string[];
  let problems: ConfigProblems;
  const titles = async () => (await db.listLogs("acme", { origin: "console" }, { offset: 0, limit: 10 })).logs.map((l) => l.title).sort();

  beforeEach(async () => {
    t = await createTempHome("databus-problems-");
    db = createJsonDatabase(t.dataDir, { clock });
    await db.open();
    await db.createClient("acme", "{}");
    reports = [];
    problems = new ConfigProblems(db, clock, (l) => reports.push(l));
  });
  afterEach(async () => {
    await db.close();
    await t.cleanup();
  });

  describe("when the same problem is seen on every tick", () => {
    it("reports and logs it once", async () => {
      for (let i = 0; i < 3; i++) await problems.update("acme", new Map([["acme/order", unknown("acme/x")]]));
      expect(reports).toHaveLength(1);
      expect(problems.current()).toEqual([reports[0]!]);
      expect(await titles()).toEqual(["configuration problem"]);
    });
  });

  describe("when the problem changes and is then fixed", () => {
    it("logs the new problem, then the recovery, and clears the console", async () => {
      await problems.update("acme", new Map([["acme/order", unknown("acme/x")]]));
      await problems.update("acme", new Map([["acme/order", unknown("acme/y")]]));
      await problems.update("acme", new Map());
      expect(reports).toHaveLength(3);
      expect(reports[2]).toStartWith("The configuration problem is fixed and passenger definition acme/order runs again.");
      expect(problems.current()).toEqual([]);
      expect(await titles()).toEqual(["configuration fixed", "configuration problem", "configuration problem"]);
    });
  });

  describe("when the client is deleted", () => {
    it("forgets its problems", async () => {
      await problems.update("acme", new Map([[WHOLE_CLIENT, unknown("acme/x")]]));
      problems.retain([]);
      expect(problems.current()).toEqual([]);
    });
  });
});
