/** Users page: the role matrix, list (token counts, never hashes), add, role, password, revoke, delete, guards, escaping. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { HTMX_PARTIAL, createTestConsole, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-password`, role });
const HOSTILE = `x<script>alert(1)</script>`;

describe("users page", () => {
  let t: TestConsole;
  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator")] },
        acme: { users: [user("ann", "administrator"), user("otto", "operator")] },
        globex: { users: [user("gus", "administrator")] },
      },
    });
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string, remember = false) => {
    const b = t.browser();
    await b.get("/login");
    const res = await b.post("/login", { client, username, password: `${username}-password`, ...(remember ? { remember: "on" } : {}) });
    expect(res.status).toBe(303);
    await b.get("/users" + (client === "root" ? "?client=acme" : ""));
    return b;
  };

  describe("the role matrix", () => {
    it("sends anonymous visitors to /login, refuses operators and other clients' users, serves administrators", async () => {
      const anon = await t.browser().get("/users");
      expect(anon.headers.get("location")).toBe("/login");
      const operator = await (await loggedIn("acme", "otto")).get("/users");
      expect(operator.status).toBe(403);
      expect(operator.text).toContain("DBUS_AUTH_FORBIDDEN");
      expect((await (await loggedIn("acme", "otto")).post("/users", { username: "eve", role: "administrator", password: "12345678" })).status).toBe(403);
      const other = await (await loggedIn("globex", "gus")).get("/users?client=acme");
      expect(other.status).toBe(403);
      expect(other.text).not.toContain("otto");
      const admin = await (await loggedIn("acme", "ann")).get("/users");
      expect(admin.status).toBe(200);
      const root = await (await loggedIn("root", "boss")).get("/users?client=acme");
      expect(root.status).toBe(200);
      expect(root.text).toContain(`data-user="otto"`);
      expect(root.text).toContain(`<option value="globex">globex</option>`);
    });

    it("refuses a POST without the CSRF token with 403 DBUS_AUTH_CSRF", async () => {
      const b = await loggedIn("acme", "ann");
      const res = await b.post("/users", { _csrf: null, username: "eve", role: "operator", password: "12345678" });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_CSRF");
      expect((await t.db.listUsers("acme")).map((u) => u.username)).not.toContain("eve");
    });
  });

  describe("when the list is shown", () => {
    it("shows user, role and the count of remembered logins, never a hash", async () => {
      await loggedIn("acme", "otto", true);
      const page = await (await loggedIn("acme", "ann")).get("/users");
      expect(page.text).toMatch(/data-user="otto"[\s\S]*?<span data-test="tokens">1<\/span>/);
      expect(page.text).toContain("administrator (you)");
      expect(page.text).not.toContain("$argon2");
      expect(page.text).not.toContain("hash");
    });

    it("answers htmx with the table fragment only", async () => {
      const res = await (await loggedIn("acme", "ann")).get("/users", HTMX_PARTIAL);
      expect(res.text).toStartWith(`<div id="users">`);
      expect(res.text).not.toContain("<html");
      expect(res.headers.get("vary")).toContain("HX-Request-Type");
    });
  });

  describe("when adding a user", () => {
    it("stores an argon2id hash in the client's config and lists the user", async () => {
      const b = await loggedIn("acme", "ann");
      const res = await b.post("/users", { username: "eve", role: "operator", password: "eve-password" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/users?done=added");
      const eve = (await t.db.listUsers("acme")).find((u) => u.username === "eve")!;
      expect(eve.password_hash).toStartWith("$argon2id$");
      expect(await t.db.readConfig("acme")).not.toContain("eve-password");
      expect((await b.get("/users?done=added")).text).toContain("The user was added.");
      expect((await t.browser().login("acme", "eve", "eve-password")).status).toBe(303);
    });

    it("shows a duplicate name, a bad role and a short password beside their fields, keeping what was typed", async () => {
      const b = await loggedIn("acme", "ann");
      const res = await b.post("/users", { username: "otto", role: "king", password: "short" });
      expect(res.status).toBe(400);
      expect(res.text).toContain("otto already exists");
      expect(res.text).toContain("must be one of operator, administrator");
      expect(res.text).toContain("must be at least 8 characters");
      expect(res.text).toContain(`name="username" value="otto"`);
    });

    it("renders a hostile user name escaped in the form", async () => {
      const res = await (await loggedIn("acme", "ann")).post("/users", { username: HOSTILE, role: "operator", password: "12345678" });
      expect(res.status).toBe(400);
      expect(res.text).not.toContain("<script>alert(1)");
      expect(res.text).toContain("x&lt;script&gt;alert(1)&lt;/script&gt;");
    });

    it("lets a root administrator add a user to another client", async () => {
      const b = await loggedIn("root", "boss");
      const res = await b.post("/users?client=globex", { username: "gil", role: "operator", password: "gil-password" });
      expect(res.headers.get("location")).toBe("/users?done=added&client=globex");
      expect((await t.db.listUsers("globex")).map((u) => u.username)).toContain("gil");
      expect((await t.db.listUsers("root")).map((u) => u.username)).not.toContain("gil");
    });
  });

  describe("when changing a role", () => {
    it("changes it and ends the user's sessions so the new role applies", async () => {
      const otto = await loggedIn("acme", "otto");
      const b = await loggedIn("acme", "ann");
      expect((await b.post("/users/otto/role", { role: "administrator" })).status).toBe(303);
      expect((await t.db.listUsers("acme")).find((u) => u.username === "otto")!.role).toBe("administrator");
      expect((await otto.get("/")).headers.get("location")).toBe("/login");
    });

    it("refuses to demote yourself or the last administrator", async () => {
      const b = await loggedIn("acme", "ann");
      const self = await b.post("/users/ann/role", { role: "operator" });
      expect(self.status).toBe(409);
      expect(self.text).toContain("DBUS_AUTH_SELF_CHANGE");
      const root = await loggedIn("root", "boss");
      const last = await root.post("/users/ann/role?client=acme", { role: "operator" });
      expect(last.status).toBe(409);
      expect(last.text).toContain("DBUS_AUTH_LAST_ADMIN");
    });
  });

  describe("when resetting a password and revoking tokens", () => {
    it("sets the new password and revokes the user's remembered logins", async () => {
      await loggedIn("acme", "otto", true);
      const b = await loggedIn("acme", "ann");
      expect((await b.post("/users/otto/password", { password: "new-otto-password" })).status).toBe(303);
      expect((await t.browser().login("acme", "otto", "otto-password")).status).toBe(401);
      expect((await t.browser().login("acme", "otto", "new-otto-password")).status).toBe(303);
      expect((await b.get("/users")).text).toMatch(/data-user="otto"[\s\S]*?<span data-test="tokens">0<\/span>/);
    });

    it("revokes remembered logins on request", async () => {
      await loggedIn("acme", "otto", true);
      await loggedIn("acme", "otto", true);
      const b = await loggedIn("acme", "ann");
      expect((await b.get("/users")).text).toMatch(/data-user="otto"[\s\S]*?<span data-test="tokens">2<\/span>/);
      expect((await b.post("/users/otto/revoke", {})).headers.get("location")).toBe("/users?done=revoked");
      expect((await b.get("/users")).text).toMatch(/data-user="otto"[\s\S]*?<span data-test="tokens">0<\/span>/);
    });

    it("answers 404 for a user who does not exist and 400 for a name that cannot be one", async () => {
      const b = await loggedIn("acme", "ann");
      expect((await b.post("/users/nobody/revoke", {})).status).toBe(404);
      expect((await b.post(`/users/${encodeURIComponent("a b")}/revoke`, {})).status).toBe(400);
    });
  });

  describe("when deleting a user", () => {
    it("asks for confirmation on a page, then deletes and ends the user's sessions", async () => {
      const otto = await loggedIn("acme", "otto");
      const b = await loggedIn("acme", "ann");
      const confirm = await b.get("/users/otto/delete");
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain("Delete user <span>otto</span>?");
      expect((await t.db.listUsers("acme")).map((u) => u.username)).toContain("otto");
      expect((await b.post("/users/otto/delete", {})).headers.get("location")).toBe("/users?done=deleted");
      expect((await t.db.listUsers("acme")).map((u) => u.username)).toEqual(["ann"]);
      expect((await otto.get("/")).headers.get("location")).toBe("/login");
    });

    it("refuses to delete yourself", async () => {
      const b = await loggedIn("acme", "ann");
      const res = await b.post("/users/ann/delete", {});
      expect(res.status).toBe(409);
      expect(res.text).toContain("DBUS_AUTH_SELF_CHANGE");
      expect((await t.db.listUsers("acme")).map((u) => u.username)).toContain("ann");
    });
  });

  describe("when the client has no users (authentication off)", () => {
    it("requires the first user to be an administrator, then sends the visitor to log in properly", async () => {
      await t.db.createClient("open", JSON.stringify({ passengers: [], users: [] }));
      const b = t.browser();
      await b.login("open", "whoever", "");
      await b.get("/users");
      const operator = await b.post("/users", { username: "first", role: "operator", password: "first-password" });
      expect(operator.status).toBe(400);
      expect(operator.text).toContain("must be administrator for the first user");
      const admin = await b.post("/users", { username: "first", role: "administrator", password: "first-password" });
      expect(admin.headers.get("location")).toBe("/login");
      expect((await b.get("/")).headers.get("location")).toBe("/login");
    });
  });
});
