/** Queue page: the list, filters and paging (whole page and rows fragment), clients, hostile input. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { HTMX_PARTIAL, createTestConsole, seatEntries, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });
const HOSTILE = "<script>alert(1)</script>";
const rowsOf = (html: string) => [...html.matchAll(/<tr><td><time/g)].length;

describe("queue page", () => {
  let t: TestConsole;
  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator")] },
        acme: { users: [user("ann", "operator")], definitions: ["acme/invoice", "acme/order"] },
        globex: { users: [user("gus", "administrator")], definitions: ["globex/report"] },
      },
    });
    await seatEntries(t.db, "acme", [
      { external_id: "INV-1", type: "acme/invoice", source_system: "mailbox" },
      { external_id: "ORD-1", type: "acme/order", source_system: "ftp" },
      { external_id: HOSTILE, type: "acme/invoice", source_system: `<b onmouseover="x">src</b>` },
    ]);
    await seatEntries(t.db, "globex", [{ external_id: "GLOBEX-SECRET", type: "globex/report" }]);
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string) => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    return b;
  };

  describe("when nobody is logged in", () => {
    it("redirects to /login", async () => {
      const res = await t.browser().get("/queue");
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/login");
    });
  });

  describe("when the whole page is asked for", () => {
    it("lists the client's entries newest first with seated at, definition, external id, source and state", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/queue");
      expect(page.status).toBe(200);
      expect(page.text).toStartWith("<!doctype html>");
      for (const h of ["Seated at", "Definition", "External id", "Source", "State"]) expect(page.text).toContain(`<th scope="col">${h}</th>`);
      expect(rowsOf(page.text)).toBe(3);
      expect(page.text.indexOf("ORD-1")).toBeLessThan(page.text.indexOf("INV-1"));
      expect(page.text).toContain(`<span class="badge pending">pending</span>`);
      expect(page.text).toContain(`<option value="acme/order">acme/order</option>`);
      expect(page.text).not.toContain("GLOBEX-SECRET");
    });

    it("filters by definition, state and text", async () => {
      const b = await loggedIn("acme", "ann");
      const byDefinition = await b.get("/queue?definition=acme/order");
      expect(rowsOf(byDefinition.text)).toBe(1);
      expect(byDefinition.text).toContain("ORD-1");
      expect(byDefinition.text).toContain(`<option value="acme/order" selected>acme/order</option>`);
      const byText = await b.get("/queue?text=inv-");
      expect(rowsOf(byText.text)).toBe(1);
      expect(byText.text).toContain("INV-1");
      const byState = await b.get("/queue?state=dead");
      expect(rowsOf(byState.text)).toBe(0);
      expect(byState.text).toContain("No entries match these filters.");
    });

    it("answers 400 DBUS_WEB_BAD_INPUT for a state that does not exist", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/queue?state=exploded");
      expect(page.status).toBe(400);
      expect(page.text).toContain("DBUS_WEB_BAD_INPUT");
      expect(page.text).toContain("state: must be one of pending, failed, dead, complete.");
    });
  });

  describe("when the order or an entry is chosen", () => {
    it("sorts oldest seated first on request, with pager links that keep the order", async () => {
      const b = await loggedIn("acme", "ann");
      const page = await b.get("/queue?sort=oldest");
      expect(page.text.indexOf("INV-1")).toBeLessThan(page.text.indexOf("ORD-1"));
      expect(page.text).toContain(`<option value="oldest" selected>oldest seated first</option>`);
      expect((await b.get("/queue?sort=sideways")).status).toBe(400);
    });

    it("links each row to its entry page", async () => {
      const { entries } = await t.db.listEntries("acme", { text: "ORD-1" }, { offset: 0, limit: 1 });
      const page = await (await loggedIn("acme", "ann")).get("/queue");
      expect(page.text).toContain(`<a href="/queue/acme/${entries[0]!.passenger.id}" data-test="entry-link">ORD-1</a>`);
    });
  });

  describe("when htmx asks for the rows", () => {
    it("answers with the rows fragment only, which passes its target down to the pager links", async () => {
      const res = await (await loggedIn("acme", "ann")).get("/queue?definition=acme/invoice", HTMX_PARTIAL);
      expect(res.status).toBe(200);
      expect(res.text).toStartWith(`<div id="rows" hx-target:inherited="#rows" hx-swap:inherited="outerHTML"`);
      expect(res.text).not.toContain("<html");
      expect(res.text).not.toContain("<form");
      expect(rowsOf(res.text)).toBe(2);
      expect(res.headers.get("vary")).toContain("HX-Request-Type");
    });

    it("sends a bad filter as an alert to the page's alert area", async () => {
      const res = await (await loggedIn("acme", "ann")).get("/queue?page=0", HTMX_PARTIAL);
      expect(res.status).toBe(400);
      expect(res.headers.get("hx-retarget")).toBe("#alerts");
      expect(res.text).toStartWith(`<div class="alert" role="alert">`);
      expect(res.text).toContain("DBUS_WEB_BAD_INPUT");
    });
  });

  describe("when there are more entries than fit a page", () => {
    it("shows 50 per page, newest first, with links to older and newer pages that keep the filters", async () => {
      await seatEntries(t.db, "acme", Array.from({ length: 60 }, (_, i) => ({ external_id: `BULK-${String(i).padStart(2, "0")}`, type: "acme/order" })));
      const b = await loggedIn("acme", "ann");
      const first = await b.get("/queue?definition=acme/order");
      expect(rowsOf(first.text)).toBe(50);
      expect(first.text).toContain("BULK-59");
      expect(first.text).toContain("1–50 of 61 (page 1 of 2)");
      expect(first.text).toContain(`<a href="/queue?definition=acme%2Forder&page=2" hx-get="/queue?definition=acme%2Forder&page=2" rel="next">`);
      const second = await b.get("/queue?definition=acme%2Forder&page=2", HTMX_PARTIAL);
      expect(rowsOf(second.text)).toBe(11);
      expect(second.text).toContain("ORD-1");
      expect(second.text).not.toContain("BULK-59");
      expect(second.text).toContain(`rel="prev"`);
    });
  });

  describe("when the stored data and the filter are hostile", () => {
    it("renders a hostile external id and source escaped", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/queue");
      expect(page.text).not.toContain(HOSTILE);
      expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page.text).not.toContain(`<b onmouseover`);
    });

    it("renders a hostile ?text= escaped in the filter field and the pager links", async () => {
      const b = await loggedIn("acme", "ann");
      const text = `"><script>alert(2)</script>`;
      const page = await b.get(`/queue?text=${encodeURIComponent(text)}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain("<script>alert(2)");
      expect(page.text).toContain(`value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"`);
      const partial = await b.get(`/queue?text=${encodeURIComponent(text)}`, HTMX_PARTIAL);
      expect(partial.text).not.toContain("<script>alert(2)");
    });
  });

  describe("when a root administrator picks a client", () => {
    it("shows that client's queue and offers every client to switch to", async () => {
      const b = await loggedIn("root", "boss");
      const page = await b.get("/queue?client=globex");
      expect(page.status).toBe(200);
      expect(page.text).toContain("GLOBEX-SECRET");
      expect(page.text).not.toContain("INV-1");
      expect(page.text).toContain(`<option value="acme">acme</option>`);
      expect(page.text).toContain(`<input type="hidden" name="client" value="globex"/>`);
    });

    it("answers 404 DBUS_CFG_CLIENT_NOT_FOUND for a client that does not exist", async () => {
      const page = await (await loggedIn("root", "boss")).get("/queue?client=nobody");
      expect(page.status).toBe(404);
      expect(page.text).toContain("DBUS_CFG_CLIENT_NOT_FOUND");
    });
  });

  describe("when someone else names another client", () => {
    it("refuses with 403 DBUS_AUTH_FORBIDDEN and shows none of its entries", async () => {
      for (const [client, username] of [["acme", "ann"], ["globex", "gus"]] as const) {
        const other = client === "acme" ? "globex" : "acme";
        const page = await (await loggedIn(client, username)).get(`/queue?client=${other}`);
        expect(page.status).toBe(403);
        expect(page.text).toContain("DBUS_AUTH_FORBIDDEN");
        expect(page.text).not.toContain(client === "acme" ? "GLOBEX-SECRET" : "INV-1");
      }
    });
  });
});
