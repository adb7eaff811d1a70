import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ensureHomeFolders, ensureRootUser, seedClients } from "../../../src/cli/home";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

describe("home", () => {
  let t: TempHome;
  let db: Database | undefined;
  beforeEach(async () => (t = await createTempHome("databus-home-")));
  afterEach(async () => {
    await db?.close();
    db = undefined;
    await t.cleanup();
  });
  const openDb = async () => {
    db = createJsonDatabase(t.dataDir);
    await db.open();
    return db;
  };

  describe("when the home has no plugins/ yet", () => {
    it("creates it with the example plugins and says what it created", () => {
      const { created } = ensureHomeFolders(t.home);
      expect(created).toContain(join(t.home, "plugins"));
      expect(readdirSync(join(t.home, "plugins/examples")).sort()).toEqual(["deliveries_by_day.ts", "document.ts", "folder_puller.ts", "folder_pusher.ts", "order_inbox.ts", "order_mail.ts", "scan.ts", "scan_folder.ts", "stamp_processor.ts"]);
    });
  });

  describe("when plugins/ exists", () => {
    it("leaves it alone", () => {
      mkdirSync(join(t.home, "plugins"));
      expect(ensureHomeFolders(t.home).created).toEqual([]);
      expect(existsSync(join(t.home, "plugins/examples"))).toBe(false);
    });
  });

  describe("seedClients", () => {
    it("creates demo and root in an empty store, and nothing in a store that has clients", async () => {
      const store = await openDb();
      expect(await seedClients(store)).toEqual(["demo", "root"]);
      expect(await store.listClients()).toEqual(["demo", "root"]);
      await store.deleteClient("demo");
      expect(await seedClients(store)).toEqual([]);
      expect(await store.listClients()).toEqual(["root"]);
    });
  });

  describe("ensureRootUser", () => {
    it("makes admin with a random password once, storing only its hash", async () => {
      const store = await openDb();
      const password = await ensureRootUser(store);
      expect(password).toMatch(/^\S{16,}$/);
      const [admin] = await store.listUsers("root");
      expect(admin).toMatchObject({ username: "admin", role: "administrator" });
      expect(admin!.password_hash).not.toContain(password!);
      expect(await Bun.password.verify(password!, admin!.password_hash)).toBe(true);
      expect(await store.readConfig("root")).not.toContain(password!);
      expect(await ensureRootUser(store)).toBeUndefined();
      const other = await ensureRootUser(await reopen());
      expect(other).toBeUndefined();
    });
  });

  async function reopen(): Promise<Database> {
    await db!.close();
    return openDb();
  }
});
