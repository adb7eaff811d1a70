import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json";
import { hashPlainPasswords } from "../../../../src/storage/config-users";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe("json users", () => {
  let home: TempHome;
  let db: Database | undefined;
  const configPath = (client: string) => join(home.dataDir, "clients", client, "config.json");
  const seed = async (client: string, text: string) => {
    await mkdir(join(home.dataDir, "clients", client), { recursive: true });
    await writeFile(configPath(client), text);
  };
  beforeEach(async () => {
    home = await createTempHome();
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
    await home.cleanup();
  });

  describe("when a config on disk holds a plain password", () => {
    it("hashes it at open and rewrites the file without the plain text", async () => {
      await seed("acme", JSON.stringify({ log_life_span: 3, users: [{ username: "ann", password: "plain-pw-123", role: "administrator" }] }));
      db = createJsonDatabase(home.dataDir);
      await db.open();
      const text = await readFile(configPath("acme"), "utf8");
      expect(text).not.toContain("plain-pw-123");
      const stored = JSON.parse(text);
      expect(Object.keys(stored.users[0])).toEqual(["username", "password_hash", "role"]);
      expect(stored.log_life_span).toBe(3);
      expect(await Bun.password.verify("plain-pw-123", stored.users[0].password_hash)).toBe(true);
    });
  });

  describe("when a config on disk is not valid JSON", () => {
    it("opens anyway, leaves the file untouched and refuses to list its users", async () => {
      const broken = '{ "users": [ { "username": "ann", "password": "pw" ';
      await seed("broken", broken);
      await seed("fine", "{}");
      db = createJsonDatabase(home.dataDir);
      await db.open();
      expect(await db.listClients()).toEqual(["broken", "fine"]);
      expect(await readFile(configPath("broken"), "utf8")).toBe(broken);
      // Failing closed: "no users" would switch login off for this client.
      const err = await db.listUsers("broken").then(() => undefined, (e) => e);
      expect(err?.code).toBe("DBUS_CFG_INVALID_JSON");
    });
  });

  describe("when text has nothing to hash", () => {
    it("returns undefined so the caller keeps the text exactly", async () => {
      expect(await hashPlainPasswords('{"users":[{"username":"a","password_hash":"$argon2id$x"}]}')).toBeUndefined();
      expect(await hashPlainPasswords("not json")).toBeUndefined();
    });
  });
});
