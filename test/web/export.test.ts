/** Export / Import page: role matrix, download, upload into new or empty clients, the polling job status, CSRF, hostile input. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Database } from "../../src/storage/database";
import { createJsonDatabase } from "../../src/storage/json/index";
import { createTempHome, type TempHome } from "../support/temp-home";
import { HTMX_PARTIAL, createTestConsole, seatEntries, type Browser, type Page, type TestConsole } from "../support/web";
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
});
