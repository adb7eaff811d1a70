import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { uuidv7 } from "../../../../src/core/ids";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json";
import { Layout, fileTime, isoFromFileTime, parseBackupFileName, parseLogFileName } from "../../../../src/storage/json/layout";
import { createTempHome, type TempHome } from "../../../support/temp-home";

const codeOf = (p: Promise<unknown>) => p.then(() => "resolved", (e) => e.code as string);

describe("json layout", () => {
  describe("when ids are not valid", () => {
    const layout = new Layout("/srv/data");
    it("rejects a client id that could leave the clients folder", () => {
      for (const bad of ["../x", "..", "a/b", "ACME", "", "x".repeat(33)])
        expect(() => layout.clientDir(bad)).toThrow(expect.objectContaining({ code: "DBUS_CFG_BAD_CLIENT_ID" }));
    });
    it("treats an entry id that is not a UUID as not found", () => {
      expect(() => layout.entryDir("acme", "../../config")).toThrow(expect.objectContaining({ code: "DBUS_Q_ENTRY_NOT_FOUND" }));
    });
    it("encodes driver names with slashes into one file name", () => {
      expect(layout.stateFile("acme", "acme/invoice_puller")).toBe("/srv/data/clients/acme/state/acme%2Finvoice_puller.json");
      expect(() => layout.stateFile("acme", "../x")).toThrow();
    });
  });

  describe("when times become file names", () => {
    it("round-trips an ISO instant without colons", () => {
      const name = fileTime("2024-05-01T12:34:56.789Z");
      expect(name).toBe("2024-05-01T12-34-56.789Z");
      expect(isoFromFileTime(name)).toBe("2024-05-01T12:34:56.789Z");
    });
    it("parses backup and log file names and ignores strangers", () => {
      expect(parseBackupFileName("2024-05-01T12-34-56.789Z~2_config.json")).toEqual({ id: "2024-05-01T12-34-56.789Z~2", at: "2024-05-01T12:34:56.789Z" });
      expect(parseLogFileName("2024-05-01T12-34-56.789Z_abc-1.json")).toEqual({ id: "abc-1", at: "2024-05-01T12:34:56.789Z" });
      expect(parseBackupFileName("notes.txt")).toBeUndefined();
      expect(parseLogFileName("2024_x.json")).toBeUndefined();
    });
  });

  describe("when hostile ids reach the database", () => {
    let home: TempHome;
    let db: Database;
    beforeEach(async () => {
      home = await createTempHome();
      db = createJsonDatabase(home.dataDir);
      await db.open();
      await db.createClient("acme", "{}");
    });
    afterEach(async () => {
      await db.close();
      await home.cleanup();
    });

    it("refuses them with catalogue codes and writes nothing outside the client", async () => {
      expect(await codeOf(db.createClient("../x", "{}"))).toBe("DBUS_CFG_BAD_CLIENT_ID");
      expect(await codeOf(db.readConfig("../../etc"))).toBe("DBUS_CFG_BAD_CLIENT_ID");
      expect(await codeOf(db.writeClientFile("acme", "../config.json", "x"))).toBe("DBUS_WEB_BAD_INPUT");
      expect(await codeOf(db.getPassenger("acme", "../config.json"))).toBe("DBUS_Q_ENTRY_NOT_FOUND");
      expect(await codeOf(db.updateStep("acme", "../../x", 0, { action: "succeed", at: "2024-01-01T00:00:00.000Z" }))).toBe("DBUS_Q_ENTRY_NOT_FOUND");
      expect(await codeOf(db.readConfigBackup("acme", "../config"))).toBe("DBUS_CFG_BACKUP_NOT_FOUND");
      expect(await codeOf(db.createLog("acme", { origin: "run", id: "../x", at: "2024-01-01T00:00:00.000Z", title: "t", definition: null }))).toBe("DBUS_STO_LOG_NOT_FOUND");
      expect(await codeOf(db.setState("acme", "../../x", "k", 1))).toBe("DBUS_WEB_BAD_INPUT");
      expect(await db.getEntry("acme", "../config.json")).toBeUndefined();
      expect(await db.readAttachment("acme", uuidv7(Date.now()), "../../config.json")).toBeUndefined();
      expect((await readdir(home.home)).sort()).toEqual(["data"]);
      expect((await readdir(home.dataDir)).sort()).toEqual(["clients", "databus.lock", "journal.jsonl", "queue-index.json"]);
      expect(await readdir(join(home.dataDir, "clients"))).toEqual(["acme"]);
      expect(await readdir(join(home.dataDir, "clients", "acme"))).toEqual(["config.json"]);
    });

    it("refuses a seat whose passenger id is not a UUID or whose attachment name has a slash", async () => {
      const p = { type: "t", external_id: "1", source_system: "s", pulled_at: "2024-01-01T00:00:00.000Z", puller: "acme/p", payload: {}, log_ids: [] };
      expect(await codeOf(db.seat("acme", [{ passenger: { ...p, id: "../x", attachments: [] }, steps: [] }]))).toBe("DBUS_RUN_BAD_PASSENGER");
      const evil = { ...p, id: uuidv7(Date.now()), attachments: [{ name: "../../config.json", content: "x" }] };
      expect(await codeOf(db.seat("acme", [{ passenger: evil, steps: [] }]))).toBe("DBUS_RUN_BAD_PASSENGER");
      expect(await readdir(join(home.dataDir, "clients", "acme"))).toEqual(["config.json"]);
    });
  });
});
