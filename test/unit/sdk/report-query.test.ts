import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { initialSteps } from "../../../src/core/queue-entry";
import { ReportQuery } from "../../../src/sdk/index";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

describe("ReportQuery", () => {
  let t: TempHome;
  let db: Database;
  beforeEach(async () => {
    t = await createTempHome("databus-report-query-");
    db = createJsonDatabase(t.dataDir, { clock: { now: () => Date.parse("2026-06-01T10:00:00Z") } });
    await db.open();
    await db.createClient("acme", JSON.stringify({ passengers: [] }));
  });
  afterEach(async () => {
    await db.close();
    await t.cleanup();
  });

  async function seat(id: string, type: string): Promise<void> {
    const at = "2026-06-01T10:00:00.000Z";
    const passenger = { id, type, external_id: id, source_system: "s", pulled_at: at, puller: "p", payload: {}, log_ids: [], attachments: [] };
    await db.seat("acme", [{ passenger, steps: initialSteps("p", [], ["acme/erp", "acme/archive"], at) }]);
    await db.updateStep("acme", id, 1, { action: "succeed", at: "2026-06-01T10:00:01.000Z" });
    await db.updateStep("acme", id, 2, { action: "fail", at: "2026-06-01T10:00:02.000Z", error: "refused", nextAttemptAt: null });
  }

  describe("when the queue holds delivered and dead steps", () => {
    it("reads them through the Database contract, per definition, with a summary", async () => {
      await seat("01970000-0000-7000-8000-000000000001", "acme/invoice");
      await seat("01970000-0000-7000-8000-000000000002", "acme/order");
      const report = new ReportQuery(db, "acme");
      const period = { from: "2026-06-01T00:00:00Z", to: "2026-06-02T00:00:00Z" };
      const rows = await report.deliveries({ ...period, definition: "acme/invoice" });
      expect(rows.map((r) => [r.pusher, r.state, r.idempotency_key])).toEqual([
        ["acme/erp", "delivered", "01970000-0000-7000-8000-000000000001:acme/erp"],
        ["acme/archive", "dead", "01970000-0000-7000-8000-000000000001:acme/archive"],
      ]);
      expect(await report.summary(period)).toEqual([
        { pusher: "acme/archive", delivered: 0, failed: 0, dead: 2 },
        { pusher: "acme/erp", delivered: 2, failed: 0, dead: 0 },
      ]);
    });
  });
});
