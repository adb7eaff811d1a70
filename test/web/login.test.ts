/** Login page: form, session cookie, CSRF, throttling, one message for every wrong field, auth off, logout. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { HTMX_PARTIAL, createTestConsole, type TestConsole } from "../support/web";

const ACME = { users: [{ username: "ann", password: "right horse battery", role: "operator" as const }], definitions: ["acme/invoice"] };

describe("login page", () => {
  let t: TestConsole;
  beforeEach(async () => {
    t = await createTestConsole({ clients: { acme: ACME, open: {} } });
  });
  afterEach(() => t.close());

  describe("when the form is opened", () => {
    it("renders client, user and password fields with a CSRF token", async () => {
      const page = await t.browser().get("/login");
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toContain("text/html");
      expect(page.text).toStartWith("<!doctype html>");
      for (const name of ["client", "username", "password", "_csrf"]) expect(page.text).toContain(`name="${name}"`);
      expect(page.headers.get("set-cookie")).toContain("HttpOnly");
    });
  });

  describe("when the client, user and password are right", () => {
    it("sets an HttpOnly, SameSite=Lax session cookie and redirects to Home", async () => {
      const b = t.browser();
      const res = await b.login("acme", "ann", "right horse battery");
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/");
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("databus_session="))!;
      expect(cookie).toContain("HttpOnly");
      expect(cookie).toContain("SameSite=Lax");
      expect(cookie).toContain("Path=/");
      expect(cookie).toMatch(/^databus_session=[A-Za-z0-9_-]{43};/);
      const home = await b.get("/");
      expect(home.status).toBe(200);
      expect(home.text).toContain("ann");
    });

    it("never shows the authentication-off banner", async () => {
      const b = t.browser();
      await b.login("acme", "ann", "right horse battery");
      expect((await b.get("/")).text).not.toContain("Authentication is off");
    });
  });

  describe("when the client, the user or the password is wrong", () => {
    it("answers each with the same DBUS_AUTH_LOGIN_FAILED message and no session", async () => {
      const attempts: Array<[string, string, string]> = [
        ["nobody", "ann", "right horse battery"],
        ["acme", "bob", "right horse battery"],
        ["acme", "ann", "wrong"],
        ["acme", "ann", ""],
      ];
      const texts: string[] = [];
      for (const [client, user, password] of attempts) {
        const b = t.browser();
        const res = await b.login(client, user, password);
        expect(res.status).toBe(401);
        expect(res.text).toContain("DBUS_AUTH_LOGIN_FAILED");
        expect(res.text).toContain("The client, user name or password is wrong.");
        expect(b.hasCookie("databus_session")).toBe(false);
        texts.push(res.text.replace(/name="_csrf" value="[^"]+"/, "").replace(/value="[^"]*"/g, ""));
      }
      expect(new Set(texts).size).toBe(1);
    });

    it("keeps what was typed, escaped, but never the password", async () => {
      const res = await t.browser().login("acme", `"><script>alert(1)</script>`, "s3cret-typed");
      expect(res.text).not.toContain("<script>alert(1)</script>");
      expect(res.text).toContain("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"");
      expect(res.text).not.toContain("s3cret-typed");
    });
  });

  describe("when an address keeps failing", () => {
    it("refuses the sixth attempt within 15 minutes with DBUS_AUTH_THROTTLED, even with the right password", async () => {
      const b = t.browser();
      for (let i = 0; i < 5; i++) expect((await b.login("acme", "ann", `guess-${i}`)).status).toBe(401);
      const blocked = await b.login("acme", "ann", "right horse battery");
      expect(blocked.status).toBe(429);
      expect(blocked.text).toContain("DBUS_AUTH_THROTTLED");
      expect(blocked.text).toContain("Try again in 900 seconds.");
      expect(b.hasCookie("databus_session")).toBe(false);
    });

    it("lets the address in again once the failures are older than 15 minutes", async () => {
      const b = t.browser();
      for (let i = 0; i < 5; i++) await b.login("acme", "ann", `guess-${i}`);
      t.clock.advance(15 * 60 * 1000 + 1000);
      expect((await b.login("acme", "ann", "right horse battery")).status).toBe(303);
    });
  });

  describe("when the POST carries no CSRF token", () => {
    it("answers 403 DBUS_AUTH_CSRF and logs nobody in", async () => {
      const b = t.browser();
      await b.get("/login");
      const res = await b.post("/login", { client: "acme", username: "ann", password: "right horse battery", _csrf: null });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_CSRF");
      expect(b.hasCookie("databus_session")).toBe(false);
    });

    it("rejects a token that does not match the login cookie", async () => {
      const b = t.browser();
      await b.get("/login");
      const res = await b.post("/login", { client: "acme", username: "ann", password: "right horse battery", _csrf: "x".repeat(43) });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_CSRF");
    });
  });

  describe("when the client has no users", () => {
    it("lets any login in as administrator and shows the authentication-off banner on every page", async () => {
      const b = t.browser();
      expect((await b.login("open", "whoever", "")).status).toBe(303);
      for (const path of ["/", "/queue"]) {
        const page = await b.get(path);
        expect(page.text).toContain("Authentication is off for client <strong>open</strong>");
        expect(page.text).toContain("(administrator)");
      }
    });
  });

  describe("when logging out", () => {
    it("ends the session on the server, so the old cookie no longer opens pages", async () => {
      const b = t.browser();
      await b.login("acme", "ann", "right horse battery");
      await b.get("/");
      const stolen = new Request("http://localhost/", { headers: { cookie: b.cookieLine() } });
      const res = await b.post("/logout", {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/login");
      expect(res.headers.getSetCookie().join()).toContain("Max-Age=0");
      const replay = await t.app.handle(stolen);
      expect(replay.status).toBe(303);
      expect(replay.headers.get("location")).toBe("/login");
    });

    it("refuses a logout without the CSRF token (403 DBUS_AUTH_CSRF) and keeps the session", async () => {
      const b = t.browser();
      await b.login("acme", "ann", "right horse battery");
      await b.get("/");
      const res = await b.post("/logout", { _csrf: null });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_CSRF");
      expect((await b.get("/")).status).toBe(200);
    });

    it("tells htmx to load the login page instead of following a redirect", async () => {
      const b = t.browser();
      await b.login("acme", "ann", "right horse battery");
      await b.get("/");
      const res = await b.post("/logout", {}, HTMX_PARTIAL);
      expect(res.status).toBe(200);
      expect(res.headers.get("hx-redirect")).toBe("/login");
    });
  });
});
