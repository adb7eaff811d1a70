import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json";
import { createTempHome, type TempHome } from "../../../support/temp-home";

/** A pid that surely belongs to no process: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = Bun.spawn(["true"]);
  await child.exited;
  return child.pid;
}

describe("json lock", () => {
  let home: TempHome;
  const open: Database[] = [];
  const start = async () => {
    const db = createJsonDatabase(home.dataDir);
    await db.open();
    open.push(db);
    return db;
  };
  beforeEach(async () => {
    home = await createTempHome();
  });
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
    await home.cleanup();
  });

  describe("when opened read-only beside a running store (databus check)", () => {
    it("takes no lock, reads the configs and rewrites nothing", async () => {
      const db = await start();
      await db.createClient("acme", "{}");
      const configFile = join(home.dataDir, "clients/acme/config.json");
      const plain = JSON.stringify({ users: [{ username: "u", password: "secret-pw" }] });
      await writeFile(configFile, plain);
      const reader = createJsonDatabase(home.dataDir);
      await reader.open({ readOnly: true });
      expect(await reader.listClients()).toEqual(["acme"]);
      expect(await readFile(configFile, "utf8")).toBe(plain);
      await reader.close();
      // Closing the reader must not release the running store's lock.
      const second = createJsonDatabase(home.dataDir);
      expect((await second.open().then(() => undefined, (e) => e))?.code).toBe("DBUS_SET_HOME_LOCKED");
    });
  });

  describe("when another store holds the data folder", () => {
    it("refuses a second open with DBUS_SET_HOME_LOCKED naming the pid and lock file", async () => {
      await start();
      const second = createJsonDatabase(home.dataDir);
      const err = await second.open().then(() => undefined, (e) => e);
      expect(err?.code).toBe("DBUS_SET_HOME_LOCKED");
      expect(err.params.pid).toBe(process.pid);
      expect(err.params.lockFile).toBe(join(home.dataDir, "databus.lock"));
    });

    it("writes the owner's pid into databus.lock", async () => {
      await start();
      expect((await readFile(join(home.dataDir, "databus.lock"), "utf8")).trim()).toBe(String(process.pid));
    });
  });

  describe("when the lock is stale", () => {
    it("takes it over", async () => {
      await mkdir(home.dataDir, { recursive: true });
      await writeFile(join(home.dataDir, "databus.lock"), `${await deadPid()}\n`);
      await start();
      expect((await readFile(join(home.dataDir, "databus.lock"), "utf8")).trim()).toBe(String(process.pid));
    });
  });

  describe("when the store closes", () => {
    it("removes the lock so the folder can be opened again", async () => {
      const db = await start();
      await db.close();
      open.splice(0);
      expect(await Bun.file(join(home.dataDir, "databus.lock")).exists()).toBe(false);
      await start();
    });
  });
});
