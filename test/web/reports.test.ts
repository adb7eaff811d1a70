import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { StepStatus } from "../../src/core/step-status";
import { createTestConsole, HTMX_PARTIAL, type Browser, type TestConsole } from "../support/web";

const ERP = "acme/erp_pusher";
const ARCHIVE = "databus/files/folder_pusher";
const ids = {
  p1: "01970000-0000-7000-8000-000000000001",
  p2: "01970000-0000-7000-8000-000000000002",
  p3: "01970000-0000-7000-8000-000000000003",
  old: "01970000-0000-7000-8000-000000000004",
  late: "01970000-0000-7000-8000-000000000005",
};

const step = (name: string, state: StepStatus["state"], updated_at: string, more: Partial<StepStatus> = {}): StepStatus => ({
  kind: "pusher", name, state, attempts: state === "pending" ? 0 : 1, last_error: null, next_attempt_at: null, updated_at, ...more,
});

/** A seated passenger whose notify step is done and whose pusher steps are as given. */
function entry(id: string, external_id: string, seated_at: string, pushers: StepStatus[]) {
  return {
    passenger: { id, type: "acme/invoice", external_id, source_system: "erp", pulled_at: seated_at, puller: "acme/mail", payload: {}, log_ids: [], attachments: [] },
    steps: [{ ...step("acme/mail", "done", seated_at), kind: "notify" as const }, ...pushers],
    seated_at,
    completed_at: null,
  };
}

describe("Reports page", () => {
  let t: TestConsole;
  let otto: Browser;
  beforeAll(async () => {
    t = await createTestConsole({ clients: { acme: { users: [{ username: "otto", password: "otto-password", role: "operator" }] }, beta: {} } });
    await t.db.seat("acme", [
      entry(ids.old, "INV-0", "2026-05-20T08:00:00.000Z", [step(ERP, "done", "2026-05-20T08:00:05.000Z")]),
      entry(ids.p1, "INV-1", "2026-06-02T08:00:00.000Z", [step(ERP, "done", "2026-06-02T08:00:05.000Z"), step(ARCHIVE, "done", "2026-06-02T08:00:06.000Z")]),
      entry(ids.p2, "=HYPERLINK(\"http://x\")", "2026-06-03T10:00:00.000Z", [
        step(ERP, "failed", "2026-06-03T10:00:02.000Z", { attempts: 2, last_error: 'DBUS_RUN_STEP_FAILED the ERP said "busy", try later', next_attempt_at: "2026-06-03T10:30:00.000Z" }),
        step(ARCHIVE, "done", "2026-06-03T10:00:01.000Z"),
      ]),
      entry(ids.p3, "INV-3", "2026-06-04T12:00:00.000Z", [
        step(ERP, "failed", "2026-06-04T12:00:03.000Z", { attempts: 10, last_error: "DBUS_RUN_UNRECOVERABLE 400 no such customer" }),
        step(ARCHIVE, "pending", "2026-06-04T12:00:00.000Z"),
      ]),
      entry(ids.late, "INV-5", "2026-06-07T23:59:00.000Z", [step(ERP, "done", "2026-06-08T00:00:01.000Z")]),
    ]);
    otto = t.browser();
    await otto.login("acme", "otto", "otto-password");
  });
  afterAll(() => t.close());

  const period = "from=2026-06-01&to=2026-06-07";

  describe("when downloaded as CSV", () => {
    it("lists each delivered, failed and dead pusher step of the period, row by row, safe for spreadsheets", async () => {
      const page = await otto.get(`/reports/download?${period}&format=csv`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(page.headers.get("content-disposition")).toBe('attachment; filename="delivery-report_acme_2026-06-01_2026-06-07.csv"');
      const lines = page.text.split("\r\n");
      expect(lines).toEqual([
        "pusher,state,at,idempotency_key,passenger_id,definition,external_id,source_system,attempts,next_attempt_at,error",
        `${ERP},delivered,2026-06-02T08:00:05.000Z,${ids.p1}:${ERP},${ids.p1},acme/invoice,INV-1,erp,1,,`,
        `${ARCHIVE},delivered,2026-06-02T08:00:06.000Z,${ids.p1}:${ARCHIVE},${ids.p1},acme/invoice,INV-1,erp,1,,`,
        `${ARCHIVE},delivered,2026-06-03T10:00:01.000Z,${ids.p2}:${ARCHIVE},${ids.p2},acme/invoice,"'=HYPERLINK(""http://x"")",erp,1,,`,
        `${ERP},failed,2026-06-03T10:00:02.000Z,${ids.p2}:${ERP},${ids.p2},acme/invoice,"'=HYPERLINK(""http://x"")",erp,2,2026-06-03T10:30:00.000Z,"DBUS_RUN_STEP_FAILED the ERP said ""busy"", try later"`,
        `${ERP},dead,2026-06-04T12:00:03.000Z,${ids.p3}:${ERP},${ids.p3},acme/invoice,INV-3,erp,10,,DBUS_RUN_UNRECOVERABLE 400 no such customer`,
        "",
      ]);
    });

    it("keeps only the chosen pusher", async () => {
      const page = await otto.get(`/reports/download?${period}&format=csv&pusher=${ARCHIVE}`);
      expect(page.text.split("\r\n").filter(Boolean).map((l) => l.split(",")[0])).toEqual(["pusher", ARCHIVE, ARCHIVE]);
    });
  });

  describe("when downloaded as JSON", () => {
    it("holds the period, a summary per pusher and the same rows", async () => {
      const page = await otto.get(`/reports/download?${period}&format=json`);
      expect(page.headers.get("content-disposition")).toBe('attachment; filename="delivery-report_acme_2026-06-01_2026-06-07.json"');
      const report = JSON.parse(page.text);
      expect(report).toMatchObject({ client: "acme", from: "2026-06-01", to: "2026-06-07", pusher: null });
      expect(report.summary).toEqual([
        { pusher: ERP, delivered: 1, failed: 1, dead: 1 },
        { pusher: ARCHIVE, delivered: 2, failed: 0, dead: 0 },
      ].sort((a, b) => a.pusher.localeCompare(b.pusher)));
      expect(report.rows.map((r: { state: string }) => r.state)).toEqual(["delivered", "delivered", "delivered", "failed", "dead"]);
    });
  });

  describe("when opened", () => {
    it("shows the summary, the rows with links to their entries, and download links keeping the filters", async () => {
      const page = await otto.get(`/reports?${period}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('aria-current="page">Reports</a>');
      expect(page.text.match(/data-test="report-row"/g)).toHaveLength(5);
      expect(page.text).toContain(`href="/queue/acme/${ids.p3}"`);
      expect(page.text).toContain("=HYPERLINK(&quot;http://x&quot;)");
      expect(page.text).toContain(`/reports/download?from=2026-06-01&amp;to=2026-06-07&amp;format=csv`);
      expect(page.text).toContain(`<option value="${ARCHIVE}">`);
    });

    it("answers htmx with the rows fragment only", async () => {
      const page = await otto.get(`/reports?${period}&pusher=${ERP}`, HTMX_PARTIAL);
      expect(page.text).toStartWith('<div id="report-rows"');
      expect(page.text.match(/data-test="report-row"/g)).toHaveLength(3);
    });

    it("rejects a date that is not one, naming the field", async () => {
      const page = await otto.get("/reports?from=2026-02-30");
      expect(page.status).toBe(400);
      expect(page.text).toContain("from");
    });

    it("refuses another client's report to a user of acme", async () => {
      expect((await otto.get(`/reports/download?${period}&client=beta`)).status).toBe(403);
    });
  });
});
