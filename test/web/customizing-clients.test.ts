/** Customizing's client list (root administrators): add, delete with a typed confirmation, root protected, others untouched. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { createTestConsole, seatEntries, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-password`, role });

describe("customizing clients", () => {
  let t: TestConsole;
  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator"), user("rita", "operator")] },
        acme: { users: [user("ann", "administrator")] },
        globex: { users: [user("gus", "administrator")] },
      },
    });
    await seatEntries(t.db, "acme", [{ external_id: "ACME-1" }, { external_id: "ACME-2" }]);
    await seatEntries(t.db, "globex", [{ external_id: "GLOBEX-1" }, { external_id: "GLOBEX-2" }, { external_id: "GLOBEX-3" }]);
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string) => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-password`)).status).toBe(303);
    await b.get("/");
    return b;
  };

  describe("the role matrix", () => {
    it("lets only root administrators list, add or delete clients", async () => {
      expect((await t.browser().get("/customizing/clients")).headers.get("location")).toBe("/login");
      for (const [client, username] of [["root", "rita"], ["acme", "ann"]] as const) {
        const b = await loggedIn(client, username);
        expect((await b.get("/customizing/clients")).status).toBe(403);
        expect((await b.post("/customizing/clients", { id: "evil" })).status).toBe(403);
        expect((await b.get("/customizing/clients/globex/delete")).status).toBe(403);
        expect((await b.post("/customizing/clients/globex/delete", { confirm: "globex" })).status).toBe(403);
      }
      expect(await t.db.listClients()).toEqual(["acme", "globex", "root"]);
      const page = await (await loggedIn("root", "boss")).get("/customizing/clients");
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/data-client="globex"[\s\S]*?<td>3<\/td>/);
    });

    it("refuses a POST without the CSRF token", async () => {
      const res = await (await loggedIn("root", "boss")).post("/customizing/clients", { _csrf: null, id: "newco" });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_CSRF");
    });
  });

  describe("when adding a client", () => {
    it("creates a minimal config with its first administrator, who can log in", async () => {
      const b = await loggedIn("root", "boss");
      const res = await b.post("/customizing/clients", { id: "newco", username: "nina", password: "nina-password" });
      expect(res.headers.get("location")).toBe("/customizing/clients?done=added");
      expect(await t.db.listClients()).toContain("newco");
      const users = await t.db.listUsers("newco");
      expect(users.map((u) => [u.username, u.role])).toEqual([["nina", "administrator"]]);
      expect(await t.db.readConfig("newco")).not.toContain("nina-password");
      expect((await t.browser().login("newco", "nina", "nina-password")).status).toBe(303);
    });

    it("shows a bad or duplicate id beside the field, escaped", async () => {
      const b = await loggedIn("root", "boss");
      const bad = await b.post("/customizing/clients", { id: `<script>alert(1)</script>` });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain("must be 1–32 characters");
      expect(bad.text).not.toContain("<script>alert(1)");
      expect(bad.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      const dup = await b.post("/customizing/clients", { id: "acme" });
      expect(dup.status).toBe(400);
      expect(dup.text).toContain("acme already exists");
    });
  });

  describe("when deleting a client", () => {
    it("states what goes, deletes only after the id is typed, and leaves other clients' queues intact", async () => {
      const b = await loggedIn("root", "boss");
      const confirm = await b.get("/customizing/clients/acme/delete");
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain(`<strong data-test="queued">2</strong>`);
      const wrong = await b.post("/customizing/clients/acme/delete", { confirm: "globex" });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain("type acme exactly to delete it");
      expect(await t.db.listClients()).toContain("acme");
      const ann = await loggedIn("acme", "ann");
      const done = await b.post("/customizing/clients/acme/delete", { confirm: "acme" });
      expect(done.headers.get("location")).toBe("/customizing/clients?done=deleted");
      expect(await t.db.listClients()).toEqual(["globex", "root"]);
      const globex = await t.db.listEntries("globex", {}, { offset: 0, limit: 10 });
      expect(globex.total).toBe(3);
      expect(globex.entries.map((e) => e.passenger.external_id).sort()).toEqual(["GLOBEX-1", "GLOBEX-2", "GLOBEX-3"]);
      expect((await ann.get("/")).headers.get("location")).toBe("/login");
    });

    it("never deletes root, and answers 400/404 for ids that are not clients", async () => {
      const b = await loggedIn("root", "boss");
      const root = await b.post("/customizing/clients/root/delete", { confirm: "root" });
      expect(root.status).toBe(409);
      expect(root.text).toContain("DBUS_CFG_ROOT_PROTECTED");
      expect(await t.db.listClients()).toContain("root");
      expect((await b.get("/customizing/clients/nobody/delete")).status).toBe(404);
      expect((await b.get(`/customizing/clients/${encodeURIComponent("../x")}/delete`)).status).toBe(400);
    });
  });
});
