/** Logs: the list (worst level, counts, filters, paging, fragment), the viewer, roles and hostile text. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { uuidv7 } from "../../src/core/ids";
import type { LogEntry } from "../../src/core/log";
import type { Database } from "../../src/storage/database";
import { HTMX_PARTIAL, createTestConsole, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });
const HOSTILE = "<script>alert(1)</script>";
const ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";
const rowsOf = (html: string) => [...html.matchAll(/data-test="log-row"/g)].length;

interface LogSpec {
  minute: number;
  title: string;
  definition: string | null;
  entries: Array<Omit<LogEntry, "at">>;
  counts?: { pulled: number; seated: number; delivered: number; failed: number };
  instance?: string;
}

async function writeLog(db: Database, client: string, spec: LogSpec): Promise<string> {
  const ms = Date.parse("2025-01-15T08:00:00Z") + spec.minute * 60_000;
  const at = new Date(ms).toISOString();
  const id = uuidv7(ms);
  await db.createLog(client, { origin: "run", id, at, title: spec.title, definition: spec.definition, instance: spec.instance });
  await db.appendLog(client, id, spec.entries.map((e, i) => ({ ...e, at: new Date(ms + i * 1000).toISOString() })));
  if (spec.counts) await db.finishLog(client, id, new Date(ms + 30_000).toISOString(), spec.counts);
  return id;
}

describe("logs page", () => {
  let t: TestConsole;
  let ids: { invoice: string; order: string; hostile: string; globex: string };
  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator")] },
        acme: { users: [user("ann", "operator"), user("adam", "administrator")], definitions: ["acme/invoice", "acme/order"] },
        globex: { users: [user("gus", "administrator")], definitions: ["globex/report"] },
      },
    });
    ids = {
      invoice: await writeLog(t.db, "acme", {
        minute: 1, title: "run acme/invoice", definition: "acme/invoice",
        entries: [{ level: "info", source: "dispatcher", message: "pulled 3" }],
        counts: { pulled: 3, seated: 2, delivered: 7, failed: 0 },
        instance: "node-a:4242",
      }),
      order: await writeLog(t.db, "acme", {
        minute: 2, title: "run acme/order", definition: "acme/order",
        entries: [{ level: "warning", source: "acme/order_puller", message: "slow source" }],
        counts: { pulled: 0, seated: 0, delivered: 0, failed: 1 },
      }),
      hostile: await writeLog(t.db, "acme", {
        minute: 3, title: `run ${HOSTILE}`, definition: "acme/invoice",
        instance: `node-${HOSTILE}`,
        entries: [
          { level: "info", source: "dispatcher", message: "started" },
          { level: "error", source: `<img src=x onerror=alert(2)>`, message: `pusher said ${HOSTILE}` },
        ],
      }),
      globex: await writeLog(t.db, "globex", { minute: 4, title: "GLOBEX-SECRET run", definition: "globex/report", entries: [] }),
    };
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string) => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    return b;
  };

  describe("when the whole list is asked for", () => {
    it("lists the client's logs newest first with worst level, title, definition, times and counts", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/logs");
      expect(page.status).toBe(200);
      expect(page.text).toStartWith("<!doctype html>");
      for (const h of ["Level", "Title", "Definition", "Started", "Finished", "Pulled", "Seated", "Delivered", "Failed"])
        expect(page.text).toContain(`<th scope="col">${h}</th>`);
      expect(rowsOf(page.text)).toBe(3);
      expect(page.text.indexOf(ESCAPED)).toBeLessThan(page.text.indexOf("run acme/order"));
      expect(page.text.indexOf("run acme/order")).toBeLessThan(page.text.indexOf("run acme/invoice"));
      expect(page.text).toContain(`<span class="badge level-error">error</span>`);
      expect(page.text).toContain(`<span class="badge level-warning">warning</span>`);
      expect(page.text).toContain(`<td class="num">7</td>`);
      expect(page.text).toContain(`href="/logs/acme/${ids.invoice}"`);
      expect(page.text).toContain(`<time datetime="2025-01-15T08:01:30.000Z">`);
      expect(page.text).not.toContain("GLOBEX-SECRET");
    });

    it("filters by worst level (at least) and by definition", async () => {
      const b = await loggedIn("acme", "ann");
      expect(rowsOf((await b.get("/logs?level=warning")).text)).toBe(2);
      const errors = await b.get("/logs?level=error");
      expect(rowsOf(errors.text)).toBe(1);
      expect(errors.text).toContain(`<option value="error" selected>error</option>`);
      const invoices = await b.get("/logs?definition=acme/invoice");
      expect(rowsOf(invoices.text)).toBe(2);
      expect(invoices.text).not.toContain("run acme/order");
      const none = await b.get("/logs?definition=acme/order&level=error");
      expect(none.text).toContain("No logs match these filters.");
    });

    it("answers 400 DBUS_WEB_BAD_INPUT for a level that does not exist", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/logs?level=panic");
      expect(page.status).toBe(400);
      expect(page.text).toContain("level: must be one of info, warning, error.");
    });

    it("pages 50 at a time with links that keep the filters", async () => {
      for (let i = 0; i < 55; i++)
        await writeLog(t.db, "acme", { minute: 10 + i, title: `bulk run ${i}`, definition: "acme/order", entries: [{ level: "warning", source: "x", message: "m" }] });
      const b = await loggedIn("acme", "ann");
      const first = await b.get("/logs?level=warning");
      expect(rowsOf(first.text)).toBe(50);
      expect(first.text).toContain("1–50 of 57 (page 1 of 2)");
      expect(first.text).toContain(`href="/logs?level=warning&page=2"`);
      const second = await b.get("/logs?level=warning&page=2", HTMX_PARTIAL);
      expect(rowsOf(second.text)).toBe(7);
    });
  });

  describe("when htmx asks for the rows", () => {
    it("answers with the rows fragment only", async () => {
      const res = await (await loggedIn("acme", "ann")).get("/logs?level=error", HTMX_PARTIAL);
      expect(res.text).toStartWith(`<div id="log-rows" hx-target:inherited="#log-rows"`);
      expect(res.text).not.toContain("<html");
      expect(rowsOf(res.text)).toBe(1);
      expect(res.headers.get("vary")).toContain("HX-Request-Type");
    });
  });

  describe("when logs record the instance that ran them (#5)", () => {
    it("shows it in the list and the viewer, escaped, and a dash where none was recorded", async () => {
      const b = await loggedIn("acme", "ann");
      const list = await b.get("/logs");
      const cells = [...list.text.matchAll(/<td class="mono" data-test="log-instance">([^<]*)<\/td>/g)].map((m) => m[1]);
      expect(cells).toEqual([`node-${ESCAPED}`, "—", "node-a:4242"]);
      const one = await b.get(`/logs/acme/${ids.invoice}`);
      expect(one.text).toContain(`<dt>Instance</dt><dd class="mono" data-test="log-instance">node-a:4242</dd>`);
      expect((await b.get(`/logs/acme/${ids.hostile}`)).text).not.toContain(`node-${HOSTILE}`);
    });
  });

  describe("when one log is opened", () => {
    it("shows every entry with its time, level and source, escaped", async () => {
      const page = await (await loggedIn("acme", "ann")).get(`/logs/acme/${ids.hostile}`);
      expect(page.status).toBe(200);
      expect([...page.text.matchAll(/data-test="log-entry"/g)]).toHaveLength(2);
      expect(page.text).toContain(`<h1>run ${ESCAPED}</h1>`);
      expect(page.text).toContain(`pusher said ${ESCAPED}`);
      expect(page.text).toContain("&lt;img src=x onerror=alert(2)&gt;");
      expect(page.text).toContain(`<time datetime="2025-01-15T08:03:01.000Z">`);
      expect(page.text).not.toContain("<script>alert");
      expect(page.text).not.toContain("<img src=x");
    });

    it("answers 400 for an id that is not a log id and 404 for a log that is not there", async () => {
      const b = await loggedIn("acme", "ann");
      expect((await b.get("/logs/acme/nope")).status).toBe(400);
      const missing = await b.get("/logs/acme/01900000-0000-7000-8000-000000000000");
      expect(missing.status).toBe(404);
      expect(missing.text).toContain("DBUS_STO_LOG_NOT_FOUND");
    });
  });

  describe("the role matrix", () => {
    it("sends anonymous visitors to /login", async () => {
      for (const path of ["/logs", `/logs/acme/${ids.invoice}`]) {
        const res = await t.browser().get(path);
        expect(res.status).toBe(303);
        expect(res.headers.get("location")).toBe("/login");
      }
    });

    it("lets operators and administrators of the client read", async () => {
      for (const name of ["ann", "adam"]) {
        const b = await loggedIn("acme", name);
        expect((await b.get("/logs")).status).toBe(200);
        expect((await b.get(`/logs/acme/${ids.order}`)).status).toBe(200);
      }
    });

    it("lets a root administrator read another client's logs and pick the client", async () => {
      const b = await loggedIn("root", "boss");
      const list = await b.get("/logs?client=globex");
      expect(list.text).toContain("GLOBEX-SECRET");
      expect(list.text).toContain(`href="/logs/globex/${ids.globex}"`);
      expect(list.text).toContain(`<option value="acme">acme</option>`);
      expect((await b.get(`/logs/acme/${ids.order}`)).status).toBe(200);
    });

    it("refuses a user of another client with 403", async () => {
      const b = await loggedIn("globex", "gus");
      for (const path of ["/logs?client=acme", `/logs/acme/${ids.order}`]) {
        const res = await b.get(path);
        expect(res.status).toBe(403);
        expect(res.text).not.toContain("slow source");
      }
    });
  });
});
