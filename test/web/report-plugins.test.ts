/**
 * Report plugins' pages: real plugin files in a temp home, loaded by the real loader, run against a
 * real json store through the console (app.handle).
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { StepStatus } from "../../src/core/step-status";
import { Dispatcher } from "../../src/dispatcher/dispatcher";
import { loadPlugins } from "../../src/plugins/load";
import { reportPlugins, type PluginRegistry } from "../../src/plugins/registry";
import { createTempHome, type TempHome } from "../support/temp-home";
import { createTestConsole, HTMX_PARTIAL, type Browser, type TestConsole } from "../support/web";

const ERP = "acme/erp_pusher";
const ids = { p1: "01970000-0000-7000-8000-000000000001", p2: "01970000-0000-7000-8000-000000000002" };
const HOSTILE_EXT = '=HYPERLINK("http://x")';

const PLUGINS: Record<string, string> = {
  // Reads the delivery report and adds hostile cells; title, labels and description are hostile too.
  "acme/hostile.ts": `
    import { Report } from "databus";
    export default class Hostile extends Report {
      title = "Deliveries <b>raw</b>";
      description = "Shows <script>alert('d')</script> escaped.";
      parameters = [
        { name: "period", label: "Period", type: "period" },
        { name: "note", label: "Note <i>", type: "text" },
      ];
      async run(query, params, ctx) {
        const rows = (await query.deliveries(params.period)).map((r) => ({ key: r.idempotency_key, ext: r.external_id, attempts: r.attempts, note: params.note }));
        rows.push({ key: "<script>alert(1)</script>", ext: "@SUM(A1)", attempts: -3, note: ctx.client });
        return {
          columns: [{ key: "key", label: "Key <u>" }, { key: "ext", label: "External id" }, { key: "attempts", label: "Attempts" }, { key: "note", label: "Note" }],
          rows,
        };
      }
    }`,
  "acme/needs_customer.ts": `
    import { Report } from "databus";
    export default class NeedsCustomer extends Report {
      title = "Per customer";
      parameters = [{ name: "customer", label: "Customer", type: "text", required: true }];
      run(query, params) { return { columns: [{ key: "c", label: "Customer" }], rows: [{ c: params.customer }] }; }
    }`,
  "beta/theirs.ts": `
    import { Report } from "databus";
    export default class Theirs extends Report {
      title = "Beta only";
      run() { return { columns: [{ key: "x", label: "X" }], rows: [{ x: "beta secret" }] }; }
    }`,
  "shared/throws.ts": `
    import { Report } from "databus";
    export default class Throws extends Report {
      title = "Always fails";
      async run() { throw new Error("the ERP is down"); }
    }`,
  "shared/hangs.ts": `
    import { Report } from "databus";
    export default class Hangs extends Report {
      title = "Never ends";
      timeout = 0.05;
      run() { return new Promise(() => {}); }
    }`,
  "shared/syntax_error.ts": `
    import { Report } from "databus";
    export default class Broken extends Report {
      title = "Broken";
      run() { return { columns: [], rows: [] ; }
    }`,
  "shared/no_title.ts": `
    import { Report } from "databus";
    export default class NoTitle extends Report {
      run() { return { columns: [], rows: [] }; }
    }`,
};

const step = (name: string, state: StepStatus["state"], updated_at: string, more: Partial<StepStatus> = {}): StepStatus => ({
  kind: "pusher", name, state, attempts: 1, last_error: null, next_attempt_at: null, updated_at, ...more,
});

function entry(id: string, external_id: string, seated_at: string, pushers: StepStatus[]) {
  return {
    passenger: { id, type: "acme/invoice", external_id, source_system: "erp", pulled_at: seated_at, puller: "acme/mail", payload: {}, log_ids: [], attachments: [] },
    steps: [{ ...step("acme/mail", "done", seated_at), kind: "notify" as const }, ...pushers],
    seated_at,
    completed_at: null,
  };
}

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-password`, role });
const PERIOD = "period_from=2026-06-01&period_to=2026-06-07";

describe("report plugins in the console", () => {
  let home: TempHome;
  let registry: PluginRegistry;
  let t: TestConsole;
  let otto: Browser;
  beforeAll(async () => {
    home = await createTempHome("databus-report-plugins-");
    for (const [file, text] of Object.entries(PLUGINS)) {
      const path = join(home.home, "plugins", file);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    }
    registry = await loadPlugins(home.home);
    t = await createTestConsole({
      clients: { acme: { users: [user("otto", "operator")] }, beta: { users: [user("bob", "operator")] }, root: { users: [user("rita", "administrator")] } },
      reports: reportPlugins(registry),
    });
    await t.db.seat("acme", [
      entry(ids.p1, "INV-1", "2026-06-02T08:00:00.000Z", [step(ERP, "done", "2026-06-02T08:00:05.000Z")]),
      entry(ids.p2, HOSTILE_EXT, "2026-06-03T10:00:00.000Z", [step(ERP, "failed", "2026-06-03T10:00:02.000Z", { attempts: 2, last_error: "busy", next_attempt_at: "2026-06-03T10:30:00.000Z" })]),
    ]);
    otto = t.browser();
    await otto.login("acme", "otto", "otto-password");
  });
  afterAll(async () => {
    await t.close();
    await home.cleanup();
  });

  describe("when the Reports page is opened", () => {
    it("links the client's own and the shared reports that loaded, titles escaped, and nothing of another client", async () => {
      const page = await otto.get("/reports");
      const links = [...page.text.matchAll(/href="(\/reports\/plugins\/[^"]+)"/g)].map((m) => m[1]);
      expect(links).toEqual(["/reports/plugins/acme/hostile", "/reports/plugins/acme/needs_customer", "/reports/plugins/shared/hangs", "/reports/plugins/shared/throws"]);
      expect(page.text).toContain("Deliveries &lt;b&gt;raw&lt;/b&gt;");
      expect(page.text).not.toContain("<b>raw</b>");
      expect(page.text).not.toContain("Beta only");
    });
  });

  describe("when a report's page is opened", () => {
    it("shows the form and the table with every plugin-made and stored value escaped", async () => {
      const page = await otto.get(`/reports/plugins/acme/hostile?${PERIOD}&note=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('aria-current="page">Reports</a>');
      expect(page.text.match(/data-test="report-row"/g)).toHaveLength(3);
      for (const raw of ["<script>alert(1)</script>", "<script>alert('d')</script>", "<img src=x", "<b>", "<u>", "<i>"]) expect(page.text).not.toContain(raw);
      expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page.text).toContain("=HYPERLINK(&quot;http://x&quot;)");
      expect(page.text).toContain('name="period_from" value="2026-06-01"');
      expect(page.text).toContain("value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\"");
      expect(page.text).toContain(`href="/reports/plugins/acme/hostile.csv?period_from=2026-06-01&amp;period_to=2026-06-07&amp;note=`);
    });

    it("answers htmx with the result fragment only", async () => {
      const page = await otto.get(`/reports/plugins/acme/hostile?${PERIOD}`, HTMX_PARTIAL);
      expect(page.text).toStartWith('<div id="plugin-report-result"');
      expect(page.text.match(/data-test="report-row"/g)).toHaveLength(3);
    });

    it("rejects a parameter that does not fit, naming the field", async () => {
      const page = await otto.get("/reports/plugins/acme/hostile?period_from=2026-02-30");
      expect(page.status).toBe(400);
      expect(page.text).toContain("Period (from): must be a date");
    });

    it("waits for a required parameter before running, and refuses to download without it", async () => {
      const page = await otto.get("/reports/plugins/acme/needs_customer");
      expect(page.text).toContain("Fill in Customer to run this report.");
      expect(page.text).not.toContain('data-test="report-row"');
      expect((await otto.get("/reports/plugins/acme/needs_customer.csv")).status).toBe(400);
      expect((await otto.get("/reports/plugins/acme/needs_customer?customer=ACME")).text).toContain('data-test="report-row"');
    });
  });

  describe("when the table is downloaded", () => {
    it("writes the CSV row by row, defusing formulas but not numbers", async () => {
      const page = await otto.get(`/reports/plugins/acme/hostile.csv?${PERIOD}&note=n1`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(page.headers.get("content-disposition")).toBe('attachment; filename="acme_hostile_acme_2025-01-15.csv"');
      expect(page.text.split("\r\n")).toEqual([
        "Key <u>,External id,Attempts,Note",
        `${ids.p1}:${ERP},INV-1,1,n1`,
        `${ids.p2}:${ERP},"'=HYPERLINK(""http://x"")",2,n1`,
        "<script>alert(1)</script>,'@SUM(A1),-3,acme",
        "",
      ]);
    });

    it("writes JSON with the parameters and rows keyed by column", async () => {
      const page = await otto.get(`/reports/plugins/acme/hostile.json?${PERIOD}`);
      const body = JSON.parse(page.text);
      expect(body).toMatchObject({ report: "acme/hostile", client: "acme", parameters: { period_from: "2026-06-01", period_to: "2026-06-07", note: "" } });
      expect(body.rows[1]).toEqual({ key: `${ids.p2}:${ERP}`, ext: HOSTILE_EXT, attempts: 2, note: null });
    });
  });

  describe("when a report fails", () => {
    it("shows an error box with the report's reason when it throws, and the download answers 502", async () => {
      const page = await otto.get("/reports/plugins/shared/throws");
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-test="report-error"');
      expect(page.text).toContain("The report `shared/throws` failed: the ERP is down.");
      expect(page.text).toContain("DBUS_PLG_REPORT_FAILED");
      expect((await otto.get("/reports/plugins/shared/throws.csv")).status).toBe(502);
    });

    it("shows a timeout box when it does not finish in time", async () => {
      const page = await otto.get("/reports/plugins/shared/hangs");
      expect(page.status).toBe(200);
      expect(page.text).toContain("The report `shared/hangs` did not finish within 0.05 seconds.");
      expect(page.text).toContain("DBUS_PLG_REPORT_TIMEOUT");
    });
  });

  describe("when a report plugin is broken", () => {
    it("records a syntax error with file and line, and a report without a title, and keeps the others", () => {
      const broken = Object.fromEntries(registry.broken().map((b) => [b.name, b.error]));
      expect(broken["shared/syntax_error"]?.code).toBe("DBUS_PLG_LOAD_FAILED");
      expect(broken["shared/syntax_error"]?.message).toContain("plugins/shared/syntax_error.ts, line 5");
      expect(broken["shared/no_title"]?.code).toBe("DBUS_PLG_BAD_REPORT");
      expect(broken["shared/no_title"]?.message).toContain("The report `shared/no_title` has no title");
      expect(registry.reports().map((r) => r.name)).toEqual(["acme/hostile", "acme/needs_customer", "beta/theirs", "shared/hangs", "shared/throws"]);
    });

    it("lists it with its error on the System page, and its page is not found", async () => {
      const dispatcher = new Dispatcher({ db: t.db, registry, clock: t.clock, home: home.home, tickMs: 60_000, concurrency: 1, graceMs: 0 });
      t.dispatcher.plugins = () => dispatcher.plugins();
      const rita = t.browser();
      await rita.login("root", "rita", "rita-password");
      const system = await rita.get("/system");
      expect(system.text).toContain("The report `shared/no_title` has no title");
      expect(system.text).toContain("plugins/shared/syntax_error.ts, line 5");
      expect(system.text).toMatch(/acme\/hostile<\/td>\s*<td>report<\/td>/);
      expect((await otto.get("/reports/plugins/shared/no_title")).status).toBe(404);
    });
  });

  describe("when someone may not run a report", () => {
    it("sends an anonymous visitor to the login page", async () => {
      const page = await t.browser().get("/reports/plugins/acme/hostile");
      expect([page.status, page.headers.get("location")]).toEqual([303, "/login"]);
    });

    it("answers 404 for another client's report, a file name or a path trick, and 403 for ?client= of another client", async () => {
      for (const path of ["beta/theirs", "beta/theirs.csv", "acme/hostile.ts", "..%2F..%2Fetc%2Fpasswd", "acme/../beta/theirs"]) {
        expect({ path, status: (await otto.get(`/reports/plugins/${path}`)).status }).toEqual({ path, status: 404 });
      }
      expect((await otto.get("/reports/plugins/beta/theirs?client=beta")).status).toBe(403);
    });

    it("lets a root administrator run another client's report on that client's data", async () => {
      const rita = t.browser();
      await rita.login("root", "rita", "rita-password");
      const page = await rita.get(`/reports/plugins/acme/hostile?client=acme&${PERIOD}`);
      expect(page.status).toBe(200);
      expect(page.text.match(/data-test="report-row"/g)).toHaveLength(3);
      expect(page.text).toContain('data-test="client-picker"');
      expect(page.text).toContain('href="/reports/plugins/acme/hostile.csv?client=acme&amp;period_from=2026-06-01');
      expect((await rita.get("/reports/plugins/beta/theirs?client=beta")).text).toContain("beta secret");
      expect((await rita.get("/reports/plugins/beta/theirs")).status).toBe(404);
    });
  });
});
