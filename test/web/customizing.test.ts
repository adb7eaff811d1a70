/** Customizing page: role matrix, config validation (field named, text kept), driver warnings, files, backups + diff + restore, escaping. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { createTestConsole, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-password`, role });
const HOSTILE = "<script>alert(1)</script>";

describe("customizing page", () => {
  let t: TestConsole;
  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator")] },
        acme: { users: [user("ann", "administrator"), user("otto", "operator")], definitions: ["acme/invoice"] },
        globex: { users: [user("gus", "administrator")] },
      },
    });
    t.dispatcher.plugins = () => [{ name: "databus/demo/puller_1", kind: "puller", file: null, error: null }];
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string) => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-password`)).status).toBe(303);
    await b.get("/");
    return b;
  };

  describe("the role matrix", () => {
    it("redirects anonymous visitors, refuses operators and other clients, serves administrators and root", async () => {
      for (const path of ["/customizing", "/customizing/clients"]) expect((await t.browser().get(path)).headers.get("location")).toBe("/login");
      const operator = await loggedIn("acme", "otto");
      expect((await operator.get("/customizing")).status).toBe(403);
      expect((await operator.post("/customizing", { text: "{}" })).status).toBe(403);
      expect((await (await loggedIn("globex", "gus")).get("/customizing?client=acme")).status).toBe(403);
      const admin = await loggedIn("acme", "ann");
      const page = await admin.get("/customizing");
      expect(page.status).toBe(200);
      expect(page.text).toContain("acme/invoice");
      expect(page.text).not.toContain("Manage clients");
      expect((await admin.get("/customizing/clients")).status).toBe(403);
      const root = await loggedIn("root", "boss");
      expect((await root.get("/customizing?client=acme")).text).toContain("acme/invoice");
      expect((await root.get("/customizing/clients")).status).toBe(200);
    });

    it("refuses a save without the CSRF token and keeps the config", async () => {
      const b = await loggedIn("acme", "ann");
      const before = await t.db.readConfig("acme");
      const res = await b.post("/customizing", { _csrf: null, text: "{}" });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_CSRF");
      expect(await t.db.readConfig("acme")).toBe(before);
    });
  });

  describe("password hashes", () => {
    it("never appear on the editor or a backup diff, and saving the shown text keeps every login working", async () => {
      const b = await loggedIn("acme", "ann");
      const page = await b.get("/customizing");
      expect(page.text).not.toContain("$argon2");
      const shown = /<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(page.text)![1]!.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
      const edited = shown.replace('"acme/invoice"', '"acme/invoice", "sync_frequency": "5m"');
      expect((await b.post("/customizing", { text: edited })).status).toBe(303);
      expect(await t.db.readConfig("acme")).toContain("$argon2");
      expect(await t.db.readConfig("acme")).toContain('"sync_frequency": "5m"');
      expect((await t.browser().login("acme", "otto", "otto-password")).status).toBe(303);
      const backups = await t.db.listConfigBackups("acme");
      expect((await b.get(`/customizing/backups/${backups[0]!.id}`)).text).not.toContain("$argon2");
    });
  });

  describe("when a config with an error is saved", () => {
    it("names the field and line, keeps the typed text (escaped) and saves nothing", async () => {
      const b = await loggedIn("acme", "ann");
      const before = await t.db.readConfig("acme");
      const text = `{\n  "passengers": [\n    { "name": "acme/x", "pullers": ["databus/demo/puller_1"], "sync_frequency": "${HOSTILE}" }\n  ]\n}`;
      const res = await b.post("/customizing", { text });
      expect(res.status).toBe(400);
      expect(res.text).toContain("DBUS_CFG_INVALID_FIELD");
      expect(res.text).toContain("`passengers[0].sync_frequency`");
      expect(res.text).toContain("config.json, line 3");
      expect(res.text).toContain("&quot;sync_frequency&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
      expect(res.text).not.toContain(HOSTILE);
      expect(await t.db.readConfig("acme")).toBe(before);
    });

    it("reports text that is not JSON with its line and column", async () => {
      const res = await (await loggedIn("acme", "ann")).post("/customizing", { text: '{\n  "passengers": [\n}' });
      expect(res.status).toBe(400);
      expect(res.text).toContain("DBUS_CFG_INVALID_JSON");
      expect(res.text).toContain("line 3");
    });
  });

  describe("when a valid config is saved", () => {
    it("writes it, hashes plain passwords, keeps a backup and warns about drivers that are not loaded", async () => {
      const b = await loggedIn("acme", "ann");
      const config = JSON.parse(await t.db.readConfig("acme"));
      config.passengers.push({ name: "acme/order", pullers: ["acme/not_loaded"] });
      config.users.push({ username: "neo", role: "operator", password: "neo-plain-pw" });
      const res = await b.post("/customizing", { text: JSON.stringify(config, null, 2) });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/customizing?done=saved");
      const stored = await t.db.readConfig("acme");
      expect(stored).toContain("acme/not_loaded");
      expect(stored).not.toContain("neo-plain-pw");
      expect(await t.db.listConfigBackups("acme")).toHaveLength(1);
      const page = await b.get("/customizing?done=saved");
      expect(page.text).toContain("The configuration was saved");
      expect(page.text).toContain("uses the puller `acme/not_loaded`, but no plugin has that name.");
      expect(page.text).not.toContain("`databus/demo/puller_1`, but no plugin");
    });
  });

  describe("when looking at backups", () => {
    it("lists them, shows a diff against the current version, and restores one (backing up the current)", async () => {
      const b = await loggedIn("acme", "ann");
      const original = await t.db.readConfig("acme");
      const changed = original.replace('"acme/invoice"', `"acme/renamed"`);
      expect((await b.post("/customizing", { text: changed })).status).toBe(303);
      const [backup] = await t.db.listConfigBackups("acme");
      const page = await b.get("/customizing");
      expect(page.text).toContain(`href="/customizing/backups/${encodeURIComponent(backup!.id)}"`);
      const diff = await b.get(`/customizing/backups/${encodeURIComponent(backup!.id)}`);
      expect(diff.status).toBe(200);
      expect(diff.text).toMatch(/<tr class="removed"><td class="sign">−<\/td><td class="mono">.*acme\/renamed/);
      expect(diff.text).toMatch(/<tr class="added"><td class="sign">\+<\/td><td class="mono">.*acme\/invoice/);
      expect(diff.text).toContain("1 added, 1 removed");
      const restore = await b.post(`/customizing/backups/${encodeURIComponent(backup!.id)}/restore`, {});
      expect(restore.headers.get("location")).toBe("/customizing?done=restored");
      expect(await t.db.readConfig("acme")).toBe(original);
      const backups = await t.db.listConfigBackups("acme");
      expect(backups).toHaveLength(2);
      expect(await t.db.readConfigBackup("acme", backups[0]!.id)).toBe(changed);
    });

    it("answers 404 for a backup that does not exist", async () => {
      const b = await loggedIn("acme", "ann");
      expect((await b.get("/customizing/backups/2020-01-01T00-00-00.000Z")).status).toBe(404);
      expect((await b.get(`/customizing/backups/${encodeURIComponent("../../etc")}`)).status).toBe(404);
    });
  });

  describe("when editing external config files", () => {
    it("creates, lists, opens and saves a file, escaping its name and text", async () => {
      const b = await loggedIn("acme", "ann");
      const name = `m<b>ap".csv`;
      const created = await b.post("/customizing/files", { name, text: `a,b\n${HOSTILE}` });
      expect(created.status).toBe(303);
      expect(await t.db.readClientFile("acme", name)).toBe(`a,b\n${HOSTILE}`);
      const page = await b.get("/customizing");
      expect(page.text).toContain("m&lt;b&gt;ap&quot;.csv");
      expect(page.text).not.toContain("m<b>ap");
      const editor = await b.get(created.headers.get("location")!);
      expect(editor.status).toBe(200);
      expect(editor.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(editor.text).not.toContain(HOSTILE);
      expect((await b.post(`/customizing/files/${encodeURIComponent(name)}`, { text: "x,y" })).status).toBe(303);
      expect(await t.db.readClientFile("acme", name)).toBe("x,y");
    });

    it("refuses names that could leave the folder, and a name that already exists", async () => {
      const b = await loggedIn("acme", "ann");
      for (const name of ["../config.json", "a/b", "..", "config.json"]) {
        const res = await b.post("/customizing/files", { name, text: "x" });
        expect(res.status).toBe(400);
        expect(res.text).toContain("DBUS_WEB_BAD_INPUT");
      }
      await b.post("/customizing/files", { name: "map.csv", text: "x" });
      expect((await b.post("/customizing/files", { name: "map.csv", text: "y" })).status).toBe(400);
      expect(await t.db.readClientFile("acme", "map.csv")).toBe("x");
      expect((await b.get("/customizing/files/missing.csv")).status).toBe(404);
    });
  });
});
