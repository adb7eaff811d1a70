/** Passengers page: definitions with drivers, schedule and problems; Run now and its self-polling status; roles. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { DatabusError } from "../../src/core/errors";
import { uuidv7 } from "../../src/core/ids";
import type { RunInfo } from "../../src/dispatcher/api";
import { HTMX_PARTIAL, createTestConsole, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });
const HOSTILE = "<script>alert(1)</script>";
const running = (client: string, definition: string): RunInfo => ({ client, definition, started_at: "2025-01-15T10:00:00.000Z", log_id: uuidv7(1) });

describe("passengers page", () => {
  let t: TestConsole;
  let runNowCalls: Array<[string, string]>;
  let active: RunInfo[];
  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator"), user("watcher", "operator")] },
        acme: { users: [user("ann", "operator"), user("ada", "administrator")], definitions: ["acme/invoice", "acme/order"] },
        globex: { users: [user("gus", "administrator")], definitions: ["globex/report"] },
      },
    });
    runNowCalls = [];
    active = [];
    t.dispatcher.runNow = async (client, definition) => {
      runNowCalls.push([client, definition]);
    };
    t.dispatcher.running = () => active;
    t.dispatcher.nextRunAt = (client, definition) => (client === "acme" && definition === "acme/invoice" ? "2025-01-15T10:01:00.000Z" : null);
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string) => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    return b;
  };

  describe("when nobody is logged in", () => {
    it("redirects every route to /login", async () => {
      for (const path of ["/passengers", "/passengers/status?definition=acme/invoice"]) {
        const res = await t.browser().get(path);
        expect(res.status).toBe(303);
        expect(res.headers.get("location")).toBe("/login");
      }
    });
  });

  describe("when an operator of acme opens it", () => {
    it("lists each definition with pullers, processors, pushers, frequency, life span and next run", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/passengers");
      expect(page.status).toBe(200);
      expect(page.text).toStartWith("<!doctype html>");
      expect(page.text).toContain(`<article class="card definition" data-test="definition-acme/invoice">`);
      expect(page.text).toContain(`<dt>Pullers</dt><dd class="mono"><div>databus/demo/puller_1</div></dd>`);
      expect(page.text).toContain(`<dt>Processors</dt><dd class="mono">none</dd>`);
      expect(page.text).toContain("<dt>Frequency</dt><dd>every 1m</dd>");
      expect(page.text).toContain("<dt>Queue life span</dt><dd>7 days</dd>");
      expect(page.text).toContain(`<dt>Next run</dt><dd><time datetime="2025-01-15T10:01:00.000Z">`);
      expect(page.text).toContain("<dt>Next run</dt><dd>not scheduled</dd>");
      expect(page.text).toContain(`<input type="hidden" name="definition" value="acme/order"/>`);
      expect(page.text).not.toContain("globex");
    });

    it("shows a running definition as running, with a status that polls itself", async () => {
      active = [running("acme", "acme/order")];
      const page = await (await loggedIn("acme", "ann")).get("/passengers");
      expect(page.text).toContain(`hx-get="/passengers/status?definition=acme%2Forder&amp;watch=1" hx-trigger="every 1s" hx-swap="outerHTML">running…</span>`);
      expect(page.text).toContain(`data-test="run-status">not running</span>`);
    });

    it("shows the dispatcher's problems that mention a definition, escaped", async () => {
      t.dispatcher.currentProblems = () => [`DBUS_PLG_LOAD_FAILED acme/order uses a broken plugin ${HOSTILE}`, "DBUS_X about globex/report"];
      const page = await (await loggedIn("acme", "ann")).get("/passengers");
      expect(page.text).toContain(`<li>DBUS_PLG_LOAD_FAILED acme/order uses a broken plugin &lt;script&gt;alert(1)&lt;/script&gt;</li>`);
      expect(page.text).not.toContain(HOSTILE);
      expect(page.text).not.toContain("globex/report");
    });

    it("answers 403 DBUS_AUTH_FORBIDDEN for another client", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/passengers?client=globex");
      expect(page.status).toBe(403);
      expect(page.text).toContain("DBUS_AUTH_FORBIDDEN");
      expect(page.text).not.toContain("globex/report");
    });
  });

  describe("when the client's config is broken", () => {
    it("shows the config error instead of the definitions, without crashing", async () => {
      const b = await loggedIn("acme", "ada");
      await t.db.writeConfig("acme", `{"passengers": [{"name": "acme/invoice", "pullers": []}]}`);
      const page = await b.get("/passengers");
      expect(page.status).toBe(200);
      expect(page.text).toContain("DBUS_CFG_INVALID_FIELD");
      expect(page.text).not.toContain(`data-test="definition-`);
    });
  });

  describe("when an operator presses Run now without htmx", () => {
    it("asks the dispatcher to run that definition of the viewer's client and redirects back (303)", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get("/passengers");
      const res = await b.post("/passengers/run", { definition: "acme/invoice" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/passengers");
      expect(runNowCalls).toEqual([["acme", "acme/invoice"]]);
    });
  });

  describe("when an operator presses Run now with htmx", () => {
    it("answers the run cell with a running status that polls itself", async () => {
      t.dispatcher.runNow = async (client, definition) => {
        runNowCalls.push([client, definition]);
        active = [running(client, definition)];
      };
      const b = await loggedIn("acme", "ann");
      await b.get("/passengers");
      const res = await b.post("/passengers/run", { definition: "acme/order" }, HTMX_PARTIAL);
      expect(res.status).toBe(200);
      expect(res.text).toStartWith(`<div class="run" data-test="run">`);
      expect(res.text).toContain("running…");
      expect(res.text).toContain(`hx-trigger="every 1s"`);
      expect(runNowCalls).toEqual([["acme", "acme/order"]]);
    });

    it("then reports finished, with the worst level of the run's log, once the dispatcher no longer runs it", async () => {
      const b = await loggedIn("acme", "ann");
      active = [running("acme", "acme/order")];
      const during = await b.get("/passengers/status?definition=acme%2Forder&watch=1", HTMX_PARTIAL);
      expect(during.text).toStartWith(`<span class="run-status running"`);
      const id = uuidv7(Date.parse("2025-01-15T10:00:00Z"));
      await t.db.createLog("acme", { origin: "run", id, at: "2025-01-15T10:00:00.000Z", title: "run acme/order", definition: "acme/order" });
      await t.db.appendLog("acme", id, [{ at: "2025-01-15T10:00:01.000Z", level: "warning", source: "test", message: "slow" }]);
      active = [];
      const after = await b.get("/passengers/status?definition=acme%2Forder&watch=1", HTMX_PARTIAL);
      expect(after.text).toStartWith(`<span class="run-status finished"`);
      expect(after.text).toContain(`<span class="badge level-warning">warning</span>`);
      expect(after.text).not.toContain("hx-get");
      expect(after.headers.get("vary")).toContain("HX-Request-Type");
    });
  });

  describe("when the dispatcher is paused", () => {
    beforeEach(() => {
      t.dispatcher.runNow = async () => {
        throw new DatabusError("DBUS_DSP_PAUSED", { action: "start a run" });
      };
    });

    it("shows DBUS_DSP_PAUSED as an alert in the page's alert area (htmx)", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get("/passengers");
      const res = await b.post("/passengers/run", { definition: "acme/order" }, HTMX_PARTIAL);
      expect(res.status).toBe(409);
      expect(res.headers.get("hx-retarget")).toBe("#alerts");
      expect(res.text).toStartWith(`<div class="alert" role="alert">`);
      expect(res.text).toContain("Databus is paused, so it cannot start a run now.");
      expect(res.text).toContain("DBUS_DSP_PAUSED");
    });

    it("shows it on an error page without htmx", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get("/passengers");
      const res = await b.post("/passengers/run", { definition: "acme/order" });
      expect(res.status).toBe(409);
      expect(res.text).toContain(`<div class="alert" role="alert">`);
      expect(res.text).toContain("DBUS_DSP_PAUSED");
    });
  });

  describe("when the form is wrong or forged", () => {
    it("refuses a POST without the CSRF token with 403 DBUS_AUTH_CSRF, and runs nothing", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get("/passengers");
      const res = await b.post("/passengers/run", { _csrf: null, definition: "acme/order" });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_CSRF");
      expect(runNowCalls).toEqual([]);
    });

    it("refuses a hostile definition name with 400 DBUS_WEB_BAD_INPUT, rendered escaped", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get("/passengers");
      const res = await b.post("/passengers/run", { definition: HOSTILE });
      expect(res.status).toBe(400);
      expect(res.text).toContain("DBUS_WEB_BAD_INPUT");
      expect(res.text).not.toContain(HOSTILE);
      expect(runNowCalls).toEqual([]);
    });

    it("refuses Run now for another client's definition (403)", async () => {
      const b = await loggedIn("acme", "ada");
      await b.get("/passengers");
      const res = await b.post("/passengers/run?client=globex", { definition: "globex/report" });
      expect(res.status).toBe(403);
      expect(runNowCalls).toEqual([]);
    });
  });

  describe("when a root administrator works on another client", () => {
    it("shows that client's definitions, offers the client picker, and runs there", async () => {
      const b = await loggedIn("root", "boss");
      const page = await b.get("/passengers?client=globex");
      expect(page.status).toBe(200);
      expect(page.text).toContain(`data-test="definition-globex/report"`);
      expect(page.text).toContain(`<option value="acme">acme</option>`);
      expect(page.text).toContain(`action="/passengers/run?client=globex"`);
      const res = await b.post("/passengers/run?client=globex", { definition: "globex/report" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/passengers?client=globex");
      expect(runNowCalls).toEqual([["globex", "globex/report"]]);
    });

    it("renders a hostile ?client= escaped in the error", async () => {
      const page = await (await loggedIn("root", "boss")).get(`/passengers?client=${encodeURIComponent(HOSTILE)}`);
      expect(page.status).toBe(400);
      expect(page.text).not.toContain(HOSTILE);
    });
  });

  describe("when a root operator opens it", () => {
    it("sees the root client's page and may run, but not other clients", async () => {
      const b = await loggedIn("root", "watcher");
      expect((await b.get("/passengers")).status).toBe(200);
      expect((await b.get("/passengers?client=acme")).status).toBe(403);
    });
  });
});
