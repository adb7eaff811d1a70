import { describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection, storageFailure } from "../../../../src/storage/sqlite/connection";

const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), "databus-sqlite-conn-"));
  return { file: join(dir, "sub", "databus.sqlite"), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};

describe("sqlite connection", () => {
  describe("when a file is opened for writing", () => {
    it("creates its folder and turns on WAL, foreign keys and a busy timeout", async () => {
      const { file, cleanup } = tempFile();
      const conn = new Connection(file);
      try {
        expect(conn.client.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
        expect(conn.client.query("PRAGMA foreign_keys").get()).toEqual({ foreign_keys: 1 });
        expect((conn.client.query("PRAGMA busy_timeout").get() as { timeout: number }).timeout).toBeGreaterThan(0);
      } finally {
        await conn.close();
        cleanup();
      }
    });
  });

  describe("when the database runs out of room", () => {
    it("raises DBUS_STO_DISK_FULL naming the file and rolls the transaction back", async () => {
      const { file, cleanup } = tempFile();
      const conn = new Connection(file);
      try {
        conn.client.run("CREATE TABLE t (b BLOB)");
        // A page limit makes SQLite answer SQLITE_FULL exactly as a full disk does.
        conn.client.run("PRAGMA max_page_count = 20");
        let caught: unknown;
        try {
          conn.write(() => {
            conn.client.run("INSERT INTO t VALUES (?)", [new Uint8Array(10)]);
            conn.client.run("INSERT INTO t VALUES (?)", [new Uint8Array(1_000_000)]);
          });
        } catch (e) {
          caught = e;
        }
        expect((caught as { code?: string }).code).toBe("DBUS_STO_DISK_FULL");
        expect((caught as Error).message).toContain(file);
        expect(conn.client.query("SELECT count(*) AS n FROM t").get()).toEqual({ n: 0 });
      } finally {
        await conn.close();
        cleanup();
      }
    });
  });

  describe("when another SQLite failure is mapped", () => {
    it("becomes DBUS_STO_WRITE_FAILED with SQLite's reason, looking through a wrapping error", async () => {
      const inner = Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" });
      const e = storageFailure("/x/databus.sqlite", new Error("Failed query", { cause: inner }));
      expect(e.code).toBe("DBUS_STO_WRITE_FAILED");
      expect(e.message).toContain("disk I/O error");
    });
  });
});
