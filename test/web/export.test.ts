/** Export / Import page: role matrix, download, upload into new or empty clients, the polling job status, CSRF, hostile input. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { createServer } from "node:net";
import { openCopyTarget } from "../../src/cli/copy-target";
import type { Database } from "../../src/storage/database";
import { createJsonDatabase } from "../../src/storage/json/index";
import { createSqliteDatabase } from "../../src/storage/sqlite/index";
import { createApp } from "../../src/web/app";
import { createTempHome, type TempHome } from "../support/temp-home";
import { Browser, HTMX_PARTIAL, createTestConsole, seatEntries, type Page, type TestConsole } from "../support/web";
import { archiveOf, exportBytes, recordsOf } from "../unit/storage/transfer/archive-bytes";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });
const HOSTILE = "<script>alert(1)</script>";

/** Holds every `seat` until `open()`: lets a test see an import while it runs. */
function gatedDb(db: Database): { db: Database; open(): void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "seat") return async (...args: Parameters<Database["seat"]>) => (await gate, target.seat(...args));
      return Reflect.get(target, prop, receiver);
    },
  });
  return { db: proxy, open };
}

describe("export page", () => {
  let t: TestConsole;
  let home: TempHome;
  let gate: ReturnType<typeof gatedDb>;
  let archive: Uint8Array;

  beforeEach(async () => {
    home = await createTempHome("databus-web-export-");
    const real = createJsonDatabase(home.dataDir);
    await real.open();
    gate = gatedDb(real);
    gate.open(); // tests that want to watch a running import make their own gate
    t = await createTestConsole({
      db: gate.db,
      clients: {
        root: { users: [user("boss", "administrator")] },
        acme: { users: [user("ann", "administrator"), user("otto", "operator")], definitions: ["acme/invoice"] },
        globex: { users: [user("gus", "administrator")] },
        fresh: { users: [user("fay", "administrator")] },
      },
    });
    await seatEntries(t.db, "acme", [{ external_id: "INV-1" }, { external_id: HOSTILE, source_system: HOSTILE }]);
    archive = await exportBytes(t.db, "acme");
  });
  afterEach(async () => {
    await t.close();
    await home.cleanup();
  });

  const loggedIn = async (client: string, username: string): Promise<Browser> => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    await b.get("/export").catch(() => undefined); // picks up the CSRF token when the page is allowed
    return b;
  };

  /** A multipart upload the way a browser sends the import form. */
  async function upload(b: Browser, fields: { archive?: Uint8Array; into?: string; csrf?: string | null }, app = t.app): Promise<Page> {
    const form = new FormData();
    const token = fields.csrf === undefined ? b.csrf : fields.csrf;
    if (token) form.set("_csrf", token);
    if (fields.archive) form.set("archive", new File([fields.archive as Uint8Array<ArrayBuffer>], "acme.databus.gz", { type: "application/gzip" }));
    if (fields.into !== undefined) form.set("into", fields.into);
    const res = await app.handle(new Request("http://localhost/export/import", { method: "POST", body: form, headers: { cookie: b.cookieLine() } }));
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** Asks for the status fragment until the job is no longer running (each poll is what htmx would send). */
  async function finalStatus(b: Browser, jobUrl: string): Promise<Page> {
    for (let i = 0; i < 500; i++) {
      const res = await b.get(jobUrl, HTMX_PARTIAL);
      if (!res.text.includes(`data-state="running"`)) return res;
      await Bun.sleep(5);
    }
    throw new Error("the job never finished");
  }

  const jobUrlOf = (location: string | null) => `/export/jobs/${/job=([0-9a-f-]{36})/.exec(location ?? "")?.[1]}`;

  describe("when the role matrix is applied to every route", () => {
    it("sends anonymous visitors to /login", async () => {
      for (const path of ["/export", "/export/download", `/export/jobs/${"0".repeat(8)}-0000-7000-8000-${"0".repeat(12)}`]) {
        const res = await t.browser().get(path);
        expect({ path, status: res.status, location: res.headers.get("location") }).toEqual({ path, status: 303, location: "/login" });
      }
    });

    it("refuses operators with 403 DBUS_AUTH_FORBIDDEN, also on the download and the upload", async () => {
      const b = await loggedIn("acme", "otto");
      await b.get("/queue");
      for (const res of [await b.get("/export"), await b.get("/export/download"), await upload(b, { archive })]) {
        expect(res.status).toBe(403);
        expect(res.text).toContain("DBUS_AUTH_FORBIDDEN");
      }
    });

    it("shows administrators their own client with the download link and the import form", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/export");
      expect(page.status).toBe(200);
      expect(page.text).toContain("Export / Import of <span>acme</span>");
      expect(page.text).toContain(`id="export-download" data-test="export-download" href="/export/download"`);
      expect(page.text).toContain(`enctype="multipart/form-data"`);
      expect(page.text).not.toContain(`name="into"`);
    });

    it("lets root administrators pick any client and import into any client id", async () => {
      const page = await (await loggedIn("root", "boss")).get("/export?client=globex");
      expect(page.status).toBe(200);
      expect(page.text).toContain("Export / Import of <span>globex</span>");
      expect(page.text).toContain(`href="/export/download?client=globex"`);
      expect(page.text).toContain(`name="into"`);
    });

    it("refuses an administrator of another client with 403", async () => {
      const b = await loggedIn("globex", "gus");
      for (const res of [await b.get("/export?client=acme"), await b.get("/export/download?client=acme")]) {
        expect(res.status).toBe(403);
        expect(res.text).toContain("DBUS_AUTH_FORBIDDEN");
      }
      const into = await upload(b, { archive, into: "acme" });
      expect(into.status).toBe(403);
    });
  });

  describe("when an administrator downloads the client", () => {
    it("streams a gzip archive as an attachment named after the client", async () => {
      const b = await loggedIn("acme", "ann");
      const res = await t.app.handle(new Request("http://localhost/export/download", { headers: { cookie: b.cookieLine() } }));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/gzip");
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="acme-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.databus\.gz"$/);
      const records = recordsOf(new Uint8Array(await res.arrayBuffer()));
      expect(records[0]).toMatchObject({ kind: "header", client: "acme" });
      expect(records.at(-1)).toMatchObject({ kind: "trailer", counts: { entries: 2, users: 2 } });
    });
  });

  describe("when an archive is uploaded", () => {
    it("redirects to the page, whose status fragment polls itself while the import runs, then shows the result", async () => {
      const slow = gatedDb(t.db);
      const t2 = await createTestConsole({ db: slow.db, clients: {} });
      const b = t2.browser();
      expect((await b.login("root", "boss", "boss-pw")).status).toBe(303);
      await b.get("/export");
      const posted = await upload(b, { archive, into: "acme2" }, t2.app);
      expect(posted.status).toBe(303);
      const location = posted.headers.get("location")!;
      expect(location).toMatch(/^\/export\?job=[0-9a-f-]{36}$/);

      const page = await b.get(location);
      expect(page.text).toContain(`data-state="running"`);
      expect(page.text).toContain(`hx-trigger="every 1s" hx-swap="outerHTML"`);
      const running = await b.get(jobUrlOf(location), HTMX_PARTIAL);
      expect(running.text).toStartWith(`<section id="transfer-status"`);
      expect(running.text).toContain(`hx-get="${jobUrlOf(location)}"`);
      expect(running.text).toContain("Entries 0 of 2");

      const busy = await upload(b, { archive, into: "acme2" }, t2.app);
      expect(busy.status).toBe(409);
      expect(busy.text).toContain("DBUS_EXP_BUSY");

      slow.open();
      const done = await finalStatus(b, jobUrlOf(location));
      expect(done.text).toContain(`data-state="done"`);
      expect(done.text).not.toContain("hx-trigger");
      expect(done.text).toContain(`Imported the archive of <span>acme</span> into client <a href="/queue?client=acme2">acme2</a>`);
      expect(done.text).toContain("2 entries, 0 attachments, 0 logs, 2 users");
      expect((await t.db.countEntries("acme2")).pending).toBe(2);
    });

    it("lets an administrator import into their own client when it is empty", async () => {
      const b = await loggedIn("fresh", "fay");
      const posted = await upload(b, { archive });
      expect(posted.status).toBe(303);
      const done = await finalStatus(b, jobUrlOf(posted.headers.get("location")));
      expect(done.text).toContain(`data-state="done"`);
      expect((await t.db.countEntries("fresh")).pending).toBe(2);
    });

    it("refuses a client that has entries with 409 DBUS_EXP_TARGET_NOT_EMPTY before starting", async () => {
      const res = await upload(await loggedIn("acme", "ann"), { archive });
      expect(res.status).toBe(409);
      expect(res.text).toContain("DBUS_EXP_TARGET_NOT_EMPTY");
    });

    it("refuses a file that is not an archive with 400 DBUS_EXP_NOT_ARCHIVE", async () => {
      const res = await upload(await loggedIn("root", "boss"), { archive: new TextEncoder().encode("not an archive") });
      expect(res.status).toBe(400);
      expect(res.text).toContain("DBUS_EXP_NOT_ARCHIVE");
    });

    it("shows a damaged archive as a failed job with the record it stopped at, and leaves no client behind", async () => {
      const b = await loggedIn("root", "boss");
      const records = recordsOf(archive);
      const posted = await upload(b, { archive: archiveOf(records.slice(0, -1)), into: "broken" });
      const done = await finalStatus(b, jobUrlOf(posted.headers.get("location")));
      expect(done.text).toContain(`data-state="failed"`);
      expect(done.text).toContain("DBUS_EXP_TRUNCATED");
      expect(await t.db.listClients()).not.toContain("broken");
    });

    it("refuses the upload without a CSRF token with 403 DBUS_AUTH_CSRF", async () => {
      const res = await upload(await loggedIn("root", "boss"), { archive, into: "acme3", csrf: null });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_CSRF");
      expect(await t.db.listClients()).not.toContain("acme3");
    });
  });

  describe("when the input is hostile", () => {
    it("renders a hostile target id escaped in the error", async () => {
      const res = await upload(await loggedIn("root", "boss"), { archive, into: HOSTILE });
      expect(res.status).toBe(400);
      expect(res.text).toContain("DBUS_CFG_BAD_CLIENT_ID");
      expect(res.text).not.toContain(HOSTILE);
      expect(res.text).toContain("&lt;script&gt;");
    });

    it("renders a hostile name from inside the archive escaped in the failed status", async () => {
      const b = await loggedIn("root", "boss");
      const records = recordsOf(archive);
      const afterConfig = records.findIndex((r) => r.kind === "config") + 1;
      const withFile = [...records.slice(0, afterConfig), { kind: "file", name: `<img src=x onerror=alert(1)>/x`, text: "" }, ...records.slice(afterConfig)];
      const posted = await upload(b, { archive: archiveOf(withFile), into: "evil" });
      const done = await finalStatus(b, jobUrlOf(posted.headers.get("location")));
      expect(done.text).toContain("DBUS_EXP_BAD_RECORD");
      expect(done.text).not.toContain("<img src=x");
      expect(done.text).toContain("&lt;img src=x");
    });

    it("answers 400 for a job id that is not an id, and 404 for one that does not exist", async () => {
      const b = await loggedIn("root", "boss");
      expect((await b.get("/export?job=..%2F..")).status).toBe(400);
      expect((await b.get(`/export/jobs/0192a0a0-0000-7000-8000-000000000000`)).status).toBe(404);
    });
  });

  describe("when a root administrator copies a client to another engine (#5)", () => {
    /** A console that offers the copy, as `databus serve` does. */
    const copyBrowser = async (client: string, username: string): Promise<Browser> => {
      const b = new Browser(createApp({ db: t.db, dispatcher: t.dispatcher, settings: { alias: "" }, version: "1.2.3", clock: t.clock, openCopyTarget }));
      expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
      await b.get("/export");
      return b;
    };
    /** Starts a copy of acme and waits for its job to finish; returns the final status fragment. */
    const copyAcme = async (b: Browser, engine: string, where: string): Promise<Page> => {
      const started = await b.post("/export/copy?client=acme", { engine, where });
      expect(started.status).toBe(303);
      const id = /job=([0-9a-f-]+)/.exec(started.headers.get("location") ?? "")?.[1];
      expect(id).toBeDefined();
      for (;;) {
        const status = await b.get(`/export/jobs/${id}`, HTMX_PARTIAL);
        if (!status.text.includes(`data-state="running"`)) return status;
        await Bun.sleep(20);
      }
    };

    it("copies config, users, queue and logs into a sqlite file, checks the counts, and leaves the source as it was", async () => {
      await t.db.createLog("acme", { origin: "run", id: "01944f55-a340-7817-9d53-b6ce3b41671b", at: "2025-01-10T08:30:00.000Z", title: "run acme/invoice", definition: "acme/invoice", instance: "node-a:1" });
      const before = { clients: await t.db.listClients(), counts: await t.db.countEntries("acme"), config: await t.db.readConfig("acme") };
      const file = join(home.home, "copy", "target.sqlite");
      const b = await copyBrowser("root", "boss");
      expect((await b.get("/export?client=acme")).text).toContain(`data-test="copy-form"`);
      const done = await copyAcme(b, "sqlite", file);
      expect(done.text).toContain(`data-state="done"`);
      expect(done.text).toContain(`Copy of acme to sqlite ${file}: done`);
      expect(done.text).toContain("every count matches");

      const target = createSqliteDatabase(file);
      await target.open();
      try {
        expect(await target.listClients()).toEqual(["acme"]);
        expect(await target.readConfig("acme")).toBe(before.config);
        expect(await target.countEntries("acme")).toEqual(before.counts);
        expect((await target.listUsers("acme")).map((u) => [u.username, u.role, u.password_hash])).toEqual(
          (await t.db.listUsers("acme")).map((u) => [u.username, u.role, u.password_hash]),
        );
        const page = { offset: 0, limit: 10 };
        const strip = (es: Awaited<ReturnType<Database["listEntries"]>>) => es.entries.map((e) => ({ passenger: e.passenger, steps: e.steps }));
        expect(strip(await target.listEntries("acme", {}, page))).toEqual(strip(await t.db.listEntries("acme", {}, page)));
        const logs = await target.listLogs("acme", {}, page);
        expect(logs.logs.map((l) => [l.id, l.title, l.instance])).toEqual([["01944f55-a340-7817-9d53-b6ce3b41671b", "run acme/invoice", "node-a:1"]]);
      } finally {
        await target.close();
      }
      expect(await t.db.listClients()).toEqual(before.clients);
      expect(await t.db.countEntries("acme")).toEqual(before.counts);
    });

    it("refuses a target that already holds the client, and changes nothing there", async () => {
      const file = join(home.home, "copy", "twice.sqlite");
      const b = await copyBrowser("root", "boss");
      expect((await copyAcme(b, "sqlite", file)).text).toContain(`data-state="done"`);
      const again = await copyAcme(b, "sqlite", file);
      expect(again.text).toContain(`data-state="failed"`);
      expect(again.text).toContain("DBUS_EXP_TARGET_HAS_CLIENT");
      expect(again.text).toContain(`The target sqlite ${file} already holds a client acme`);
    });

    it("never shows the SQL Server password, on the job or the page, when the server is down", async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const b = await copyBrowser("root", "boss");
      const failed = await copyAcme(b, "mssql", `mssql://sa:Copy-Secret-3@127.0.0.1:${port}/databus`);
      expect(failed.text).toContain(`data-state="failed"`);
      expect(failed.text).toContain(`Copy of acme to mssql 127.0.0.1:${port}/databus: failed`);
      expect(failed.text).toContain("DBUS_STO_UNREACHABLE");
      expect(failed.text).not.toContain("Copy-Secret-3");
      expect((await b.get("/export?client=acme")).text).not.toContain("Copy-Secret-3");
    });

    it("is for root administrators only: no form and 403 for a client's administrator", async () => {
      const b = await copyBrowser("acme", "ann");
      expect((await b.get("/export")).text).not.toContain(`data-test="copy-form"`);
      const res = await b.post("/export/copy", { engine: "sqlite", where: join(home.home, "x.sqlite") });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_FORBIDDEN");
    });

    it("asks for an engine and a place, without echoing what was typed", async () => {
      const b = await copyBrowser("root", "boss");
      const noEngine = await b.post("/export/copy?client=acme", { engine: "oracle", where: "x" });
      expect(noEngine.status).toBe(400);
      const noWhere = await b.post("/export/copy?client=acme", { engine: "mssql", where: " " });
      expect(noWhere.status).toBe(400);
      const badUrl = await b.post("/export/copy?client=acme", { engine: "mssql", where: "mssql://sa:Typed-Secret@[bad" });
      expect(badUrl.status).toBe(400);
      expect(badUrl.text).not.toContain("Typed-Secret");
    });
  });
});
