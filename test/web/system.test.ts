/** System page: root administrators only; dispatcher state with pause, resume and shutdown; plugins, problems, instance. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { createApp } from "../../src/web/app";
import { Browser, HTMX_PARTIAL, createTestConsole, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });
const HOSTILE = "<script>alert(1)</script>";
const ACTIONS = ["/system/pause", "/system/resume", "/system/shutdown"] as const;

describe("system page", () => {
  let t: TestConsole;
  let calls: string[];
  let shutdownHook: (() => void) | undefined;
  /** A console over the test store and fake dispatcher, with the shutdown hook the CLI would pass. */
  const browser = () =>
    new Browser(
      createApp({ db: t.db, dispatcher: t.dispatcher, settings: { alias: "", home: "/srv/databus" }, version: "1.2.3", clock: t.clock, requestShutdown: shutdownHook }),
    );
  const loggedIn = async (client: string, username: string) => {
    const b = browser();
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    return b;
  };

  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator"), user("watcher", "operator")] },
        acme: { users: [user("ann", "operator"), user("ada", "administrator")] },
      },
    });
    calls = [];
    shutdownHook = () => calls.push("requestShutdown");
    t.dispatcher.pause = () => void calls.push("pause");
    t.dispatcher.resume = () => void calls.push("resume");
    t.dispatcher.shutdown = async () => void calls.push("dispatcher.shutdown");
  });
  afterEach(() => t.close());

  describe("when nobody is logged in", () => {
    it("redirects to /login", async () => {
      const res = await browser().get("/system");
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/login");
    });
  });

  describe("when someone who is not a root administrator tries it", () => {
    for (const [client, username] of [["root", "watcher"], ["acme", "ada"], ["acme", "ann"]] as const) {
      it(`answers 403 DBUS_AUTH_FORBIDDEN to ${username} of ${client}, for the page and every action`, async () => {
        const b = await loggedIn(client, username);
        const page = await b.get("/system");
        expect(page.status).toBe(403);
        expect(page.text).toContain("DBUS_AUTH_FORBIDDEN");
        for (const path of ACTIONS) expect((await b.post(path, { confirm: "yes" })).status).toBe(403);
        expect(calls).toEqual([]);
      });
    }
  });

  describe("when a root administrator opens it", () => {
    it("shows the dispatcher state, engine, version, uptime and last tick", async () => {
      // The fake is a plain object; the API marks lastTickAt read-only for callers, not for the test.
      Object.assign(t.dispatcher, { lastTickAt: "2025-01-15T09:59:30.000Z" });
      t.clock.advance(2 * 86_400_000 + 3 * 3_600_000 + 60_000); // the fake dispatcher started at 09:00
      const page = await (await loggedIn("root", "boss")).get("/system");
      expect(page.status).toBe(200);
      expect(page.text).toContain(`<span class="badge dsp-running" data-test="dispatcher-state">running</span>`);
      expect(page.text).toContain(`<dt>Engine</dt><dd>${t.db.engine}</dd>`);
      expect(page.text).toContain("<dt>Version</dt><dd>1.2.3</dd>");
      expect(page.text).toContain(`<dd data-test="uptime"><span>2d 4h 1m</span> (since <time datetime="2025-01-15T09:00:00.000Z">`);
      expect(page.text).toContain(`<time datetime="2025-01-15T09:59:30.000Z">`);
      expect(page.text).toContain(`action="/system/pause"`);
      expect(page.text).not.toContain(`action="/system/resume"`);
    });

    it("lists plugins with kind, file and load error, and the config problems, all escaped", async () => {
      t.dispatcher.plugins = () => [
        { name: "databus/demo/puller_1", kind: "puller", file: null, error: null },
        { name: "acme/bad", kind: "broken", file: `/home/plugins/acme/${HOSTILE}.ts`, error: `DBUS_PLG_LOAD_FAILED line 3: ${HOSTILE}` },
      ];
      t.dispatcher.currentProblems = () => [`DBUS_CFG_INVALID_FIELD client acme: ${HOSTILE}`];
      const page = await (await loggedIn("root", "boss")).get("/system");
      expect(page.text).not.toContain(HOSTILE);
      expect(page.text).toContain(`<td class="mono">databus/demo/puller_1</td><td>puller</td><td class="mono">(built in)</td><td><span class="badge ok">loaded</span></td>`);
      expect(page.text).toContain(`<span class="plugin-error">DBUS_PLG_LOAD_FAILED line 3: &lt;script&gt;alert(1)&lt;/script&gt;</span>`);
      expect(page.text).toContain(`/home/plugins/acme/&lt;script&gt;alert(1)&lt;/script&gt;.ts`);
      expect(page.text).toContain(`<li>DBUS_CFG_INVALID_FIELD client acme: &lt;script&gt;alert(1)&lt;/script&gt;</li>`);
    });

    it("answers htmx partial requests with the state fragment only", async () => {
      const res = await (await loggedIn("root", "boss")).get("/system", HTMX_PARTIAL);
      expect(res.text).toStartWith(`<section id="dispatcher-state"`);
      expect(res.text).not.toContain("<html");
      expect(res.headers.get("vary")).toContain("HX-Request-Type");
    });
  });

  describe("when a root administrator pauses and resumes", () => {
    it("pauses the dispatcher and redirects back (303) without htmx", async () => {
      const b = await loggedIn("root", "boss");
      await b.get("/system");
      const res = await b.post("/system/pause", {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/system");
      expect(calls).toEqual(["pause"]);
    });

    it("answers htmx with a state fragment that polls itself while pausing, and stops polling once paused", async () => {
      t.dispatcher.pause = () => {
        calls.push("pause");
        t.dispatcher.state = "pausing";
      };
      const b = await loggedIn("root", "boss");
      await b.get("/system");
      const res = await b.post("/system/pause", {}, HTMX_PARTIAL);
      expect(res.text).toStartWith(`<section id="dispatcher-state" class="card dispatcher-state" hx-get="/system" hx-trigger="every 1s" hx-swap="outerHTML">`);
      expect(res.text).toContain(">pausing</span>");
      t.dispatcher.state = "paused";
      const poll = await b.get("/system", HTMX_PARTIAL);
      expect(poll.text).toStartWith(`<section id="dispatcher-state" class="card dispatcher-state">`);
      expect(poll.text).toContain(">paused</span>");
      expect(poll.text).toContain(`action="/system/resume"`);
      expect(calls).toEqual(["pause"]);
    });

    it("resumes the dispatcher", async () => {
      t.dispatcher.state = "paused";
      const b = await loggedIn("root", "boss");
      await b.get("/system");
      expect((await b.post("/system/resume", {})).status).toBe(303);
      expect(calls).toEqual(["resume"]);
    });
  });

  describe("when a root administrator shuts Databus down", () => {
    it("refuses without the confirmation box (400) and does nothing", async () => {
      const b = await loggedIn("root", "boss");
      await b.get("/system");
      const res = await b.post("/system/shutdown", {});
      expect(res.status).toBe(400);
      expect(res.text).toContain("tick the box to confirm the shutdown");
      expect(calls).toEqual([]);
    });

    it("asks the program to shut down once confirmed", async () => {
      const b = await loggedIn("root", "boss");
      expect((await b.get("/system")).text).toContain(`<input type="checkbox" name="confirm" value="yes" required/>`);
      const res = await b.post("/system/shutdown", { confirm: "yes" });
      expect(res.status).toBe(303);
      expect(calls).toEqual(["requestShutdown"]);
    });

    it("answers htmx with a stopping state that offers no more actions", async () => {
      const b = await loggedIn("root", "boss");
      await b.get("/system");
      const res = await b.post("/system/shutdown", { confirm: "yes" }, HTMX_PARTIAL);
      expect(res.status).toBe(200);
      expect(res.text).toContain(">stopping</span>");
      expect(res.text).not.toContain(`action="/system/`);
      expect(calls).toEqual(["requestShutdown"]);
    });

    it("explains, and refuses with 409 DBUS_WEB_SHUTDOWN_UNAVAILABLE, when the program gave no shutdown hook", async () => {
      shutdownHook = undefined;
      const b = await loggedIn("root", "boss");
      const page = await b.get("/system");
      expect(page.text).toContain(`data-test="no-shutdown">`);
      expect(page.text).not.toContain(`action="/system/shutdown"`);
      const res = await b.post("/system/shutdown", { confirm: "yes" });
      expect(res.status).toBe(409);
      expect(res.text).toContain("DBUS_WEB_SHUTDOWN_UNAVAILABLE");
    });

    it("offers no actions while stopping", async () => {
      t.dispatcher.state = "stopping";
      const page = await (await loggedIn("root", "boss")).get("/system");
      expect(page.text).toContain(">stopping</span>");
      expect(page.text).not.toContain(`action="/system/`);
    });
  });

  describe("when a POST comes without the CSRF token", () => {
    it("answers 403 DBUS_AUTH_CSRF for every action and does nothing", async () => {
      const b = await loggedIn("root", "boss");
      for (const path of ACTIONS) {
        const res = await b.post(path, { _csrf: null, confirm: "yes" });
        expect(res.status).toBe(403);
        expect(res.text).toContain("DBUS_AUTH_CSRF");
      }
      expect(calls).toEqual([]);
    });
  });
});
