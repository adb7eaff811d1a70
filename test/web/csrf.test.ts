/** CSRF across the console: every POST route, present and future, refuses a request without the token. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { createTestConsole, type TestConsole } from "../support/web";

describe("csrf", () => {
  let t: TestConsole;
  beforeEach(async () => {
    t = await createTestConsole({ clients: { acme: { users: [{ username: "ann", password: "pw", role: "administrator" }] } } });
  });
  afterEach(() => t.close());

  const postRoutes = () => t.app.routes.filter((r) => r.method === "POST").map((r) => r.path);

  describe("when a logged-in browser posts without the token", () => {
    it("answers 403 DBUS_AUTH_CSRF on every POST route", async () => {
      expect(postRoutes()).toContain("/logout");
      for (const path of postRoutes()) {
        const b = t.browser();
        await b.login("acme", "ann", "pw");
        const res = await b.post(path, { _csrf: null });
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
        expect(res.text).toContain("DBUS_AUTH_CSRF");
      }
    });
  });

  describe("when the token comes in the X-CSRF-Token header (htmx posts)", () => {
    it("accepts it", async () => {
      const b = t.browser();
      await b.login("acme", "ann", "pw");
      await b.get("/");
      const token = b.csrf!;
      const res = await b.post("/logout", { _csrf: null }, { "X-CSRF-Token": token });
      expect(res.status).toBe(303);
    });
  });
});
