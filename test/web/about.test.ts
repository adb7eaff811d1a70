/** About page: version, engine and data folder for any logged-in user; nothing secret. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { createApp } from "../../src/web/app";
import { Browser, HTMX_PARTIAL, createTestConsole, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });
const HOME = "/srv/<script>alert(1)</script>/databus";

describe("about page", () => {
  let t: TestConsole;
  const browser = (home?: string) =>
    new Browser(createApp({ db: t.db, dispatcher: t.dispatcher, settings: { alias: "", home }, version: "1.2.3", clock: t.clock }));
  const loggedIn = async (client: string, username: string, home: string | null = HOME) => {
    const b = browser(home ?? undefined);
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    return b;
  };

  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator")] },
        acme: { users: [user("ann", "operator"), user("ada", "administrator")] },
      },
    });
  });
  afterEach(() => t.close());

  describe("when nobody is logged in", () => {
    it("redirects to /login", async () => {
      const res = await browser().get("/about");
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/login");
    });
  });

  describe("when any logged-in user opens it", () => {
    it("shows version, engine and data folder (escaped) to operators, administrators and root", async () => {
      for (const [client, username] of [["acme", "ann"], ["acme", "ada"], ["root", "boss"]] as const) {
        const page = await (await loggedIn(client, username)).get("/about");
        expect(page.status).toBe(200);
        expect(page.text).toContain(`<dd data-test="version">1.2.3</dd>`);
        expect(page.text).toContain(`<dd data-test="engine">${t.db.engine}</dd>`);
        expect(page.text).toContain(`<dd class="mono" data-test="home">/srv/&lt;script&gt;alert(1)&lt;/script&gt;/databus</dd>`);
        expect(page.text).not.toContain("<script>alert(1)");
      }
    });

    it("shows no secrets: no password hashes, session ids or CSRF values outside the form fields", async () => {
      const b = await loggedIn("acme", "ann");
      const page = await b.get("/about");
      expect(page.text).not.toContain("argon2");
      const main = page.text.slice(page.text.indexOf("<main>"));
      expect(main).not.toContain(b.csrf!);
    });

    it("says when the data folder is not known", async () => {
      const page = await (await loggedIn("acme", "ann", null)).get("/about");
      expect(page.text).toContain(`data-test="home">(not known)</dd>`);
    });

    it("answers an htmx request with the whole page (it has no fragment)", async () => {
      const res = await (await loggedIn("acme", "ann")).get("/about", HTMX_PARTIAL);
      expect(res.text).toStartWith("<!doctype html>");
    });

    it("refuses another client's ?client= with 403", async () => {
      expect((await (await loggedIn("acme", "ada")).get("/about?client=root")).status).toBe(403);
    });
  });
});
