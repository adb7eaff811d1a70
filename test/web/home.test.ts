/** Home page: counts by state per visible client, the polled fragment, who sees which clients. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { HTMX_FULL, HTMX_PARTIAL, createTestConsole, seatEntries, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });

describe("home page", () => {
  let t: TestConsole;
  beforeEach(async () => {
    t = await createTestConsole({
      alias: `<img src=x onerror=alert(1)>LIVE`,
      clients: {
        root: { users: [user("boss", "administrator"), user("watcher", "operator")] },
        acme: { users: [user("ann", "operator")], definitions: ["acme/invoice"] },
        globex: { users: [user("gus", "administrator")] },
      },
    });
    await seatEntries(t.db, "acme", [{ external_id: "a-1" }, { external_id: "a-2" }, { external_id: "a-3" }]);
    await seatEntries(t.db, "globex", [{ external_id: "g-1" }]);
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string) => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    return b;
  };

  describe("when nobody is logged in", () => {
    it("redirects to /login", async () => {
      const res = await t.browser().get("/");
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/login");
    });

    it("sends htmx polls to /login with HX-Redirect instead of a redirect fetch would follow", async () => {
      const res = await t.browser().get("/", HTMX_PARTIAL);
      expect(res.headers.get("hx-redirect")).toBe("/login");
      expect(res.headers.get("location")).toBeNull();
    });
  });

  describe("when an operator of acme opens it", () => {
    it("renders the whole page with acme's counts by state and a fragment that polls every 5 s", async () => {
      const b = await loggedIn("acme", "ann");
      const page = await b.get("/");
      expect(page.status).toBe(200);
      expect(page.text).toStartWith("<!doctype html>");
      expect(page.text).toContain(`<script src="/static/htmx.min.js?v=0.0.0-test" defer></script>`);
      expect(page.text).toContain(`hx-trigger="every 5s"`);
      expect(page.text).toMatch(/<a href="\/queue\?state=pending">pending<\/a><\/dt><dd>3<\/dd>/);
      expect(page.text).toMatch(/<a href="\/queue\?state=complete">complete<\/a><\/dt><dd>0<\/dd>/);
    });

    it("shows only acme, never another client", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).toContain(">acme</a></h2>");
      expect(page.text).not.toContain("globex");
      expect(page.text).not.toContain(">root</a></h2>");
    });

    it("answers 403 DBUS_AUTH_FORBIDDEN when asking for another client", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/?client=globex");
      expect(page.status).toBe(403);
      expect(page.text).toContain("DBUS_AUTH_FORBIDDEN");
    });
  });

  describe("when htmx polls the counts", () => {
    it("answers a partial request with the counts fragment only, and says it varies on HX-Request-Type", async () => {
      const b = await loggedIn("acme", "ann");
      await seatEntries(t.db, "acme", [{ external_id: "a-4" }]);
      const res = await b.get("/", HTMX_PARTIAL);
      expect(res.status).toBe(200);
      expect(res.text).toStartWith(`<section id="counts"`);
      expect(res.text).not.toContain("<html");
      expect(res.text).toMatch(/pending<\/a><\/dt><dd>4<\/dd>/);
      expect(res.headers.get("vary")).toContain("HX-Request-Type");
    });

    it("answers a full htmx request (history restore) with the whole page", async () => {
      const res = await (await loggedIn("acme", "ann")).get("/", HTMX_FULL);
      expect(res.text).toStartWith("<!doctype html>");
    });
  });

  describe("when a root administrator opens it", () => {
    it("shows every client with its own counts", async () => {
      const page = await (await loggedIn("root", "boss")).get("/");
      for (const client of ["acme", "globex", "root"]) expect(page.text).toContain(`>${client}</a></h2>`);
      expect(page.text).toContain(`<a href="/queue?client=globex&state=pending">pending</a></dt><dd>1</dd>`);
    });
  });

  describe("when a root operator opens it", () => {
    it("shows only the root client (seeing every client is for administrators)", async () => {
      const page = await (await loggedIn("root", "watcher")).get("/");
      expect(page.text).toContain(">root</a></h2>");
      expect(page.text).not.toContain("acme");
    });
  });

  describe("when the alias is hostile", () => {
    it("renders it escaped in the header and the title", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).not.toContain("<img src=x");
      expect(page.text).toContain(`<span class="alias">&lt;img src=x onerror=alert(1)&gt;LIVE</span>`);
      expect(page.text).toContain("<title>Home · &lt;img src=x onerror=alert(1)&gt;LIVE · Databus</title>");
    });
  });
});
