/** The error handler: unknown pages, internal failures with an incident id, alerts for htmx. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { HTMX_PARTIAL, createTestConsole, type TestConsole } from "../support/web";

describe("error handler", () => {
  let t: TestConsole;
  beforeEach(async () => {
    t = await createTestConsole({ clients: { acme: { users: [{ username: "ann", password: "pw", role: "operator" }] } } });
  });
  afterEach(() => t.close());

  describe("when no route matches", () => {
    it("answers 404 DBUS_WEB_NOT_FOUND with the path escaped, as a full page", async () => {
      const res = await t.browser().get("/nothing/<script>x</script>");
      expect(res.status).toBe(404);
      expect(res.text).toStartWith("<!doctype html>");
      expect(res.text).toContain("DBUS_WEB_NOT_FOUND");
      expect(res.text).toContain("Use the menu to find what you were looking for.");
      expect(res.text).not.toContain("<script>x</script>");
    });

    it("answers an htmx partial request with an alert fragment aimed at the alert area", async () => {
      const res = await t.browser().get("/nothing", HTMX_PARTIAL);
      expect(res.status).toBe(404);
      expect(res.text).toStartWith(`<div class="alert" role="alert">`);
      expect(res.headers.get("hx-retarget")).toBe("#alerts");
      expect(res.headers.get("hx-reswap")).toBe("innerHTML");
    });
  });

  describe("when something unexpected fails inside", () => {
    it("answers 500 DBUS_INTERNAL with an incident id and keeps the stack out of the page", async () => {
      const b = t.browser();
      await b.login("acme", "ann", "pw");
      t.db.countEntries = async () => {
        throw new Error("secret internals at /srv/databus/data");
      };
      const logged: unknown[][] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void logged.push(args);
      try {
        const res = await b.get("/");
        expect(res.status).toBe(500);
        expect(res.text).toContain("DBUS_INTERNAL");
        const incident = /incident ([0-9a-f-]{36})/.exec(res.text)?.[1];
        expect(incident).toBeDefined();
        expect(res.text).not.toContain("secret internals");
        expect(res.text).not.toContain("/srv/databus");
        expect(String(logged[0]?.[0])).toContain(incident!);
      } finally {
        console.error = original;
      }
    });
  });
});
