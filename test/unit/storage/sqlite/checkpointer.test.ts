import { afterEach, describe, expect, it, spyOn } from "bun:test";
import { Database } from "bun:sqlite";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Checkpointer } from "../../../../src/storage/sqlite/checkpointer";
import { Connection } from "../../../../src/storage/sqlite/connection";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function walFile(): { dir: string; file: string; db: Database } {
  const dir = mkdtempSync(join(tmpdir(), "databus-checkpoint-"));
  dirs.push(dir);
  const file = join(dir, "databus.sqlite");
  const db = new Database(file, { create: true, readwrite: true });
  db.run("PRAGMA journal_mode = WAL");
  // So that only the thread under test copies pages into the database file.
  db.run("PRAGMA wal_autocheckpoint = 0");
  db.run("CREATE TABLE t (v TEXT)");
  return { dir, file, db };
}

/**
 * Rows the database file itself holds, without its WAL: what checkpoints have copied there. A copy
 * taken while a checkpoint writes pages can be torn (SQLITE_CORRUPT): -1, "not yet", while polling.
 */
function rowsInDatabaseFile(dir: string, file: string, polling = false): number {
  const copy = join(dir, `copy-${Math.random().toString(36).slice(2)}.sqlite`);
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const hasTable = db.query("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get() as { n: number };
    return hasTable.n === 0 ? 0 : (db.query("SELECT count(*) AS n FROM t").get() as { n: number }).n;
  } catch (e) {
    if (polling && (e as { code?: string }).code === "SQLITE_CORRUPT") return -1;
    throw e;
  } finally {
    db.close();
  }
}

async function until(what: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what() && Date.now() < end) await Bun.sleep(10);
}

const insert = (db: Database, n: number) => {
  const st = db.query("INSERT INTO t VALUES (?)");
  for (let i = 0; i < n; i++) st.run("x".repeat(3000));
};

describe("sqlite checkpoint thread", () => {
  describe("when writes are committed", () => {
    it("copies them into the database file without the writer checkpointing", async () => {
      const { dir, file, db } = walFile();
      const checkpointer = new Checkpointer(file, () => {});
      try {
        insert(db, 200);
        expect(rowsInDatabaseFile(dir, file)).toBe(0);
        checkpointer.written();
        await until(() => rowsInDatabaseFile(dir, file, true) === 200);
        checkpointer.close(); // no checkpoint runs while the file is copied below
        expect(rowsInDatabaseFile(dir, file)).toBe(200);
      } finally {
        checkpointer.close();
        db.close();
      }
    });

    it("starts a new thread for commits after the last one left for idleness", async () => {
      const { dir, file, db } = walFile();
      const checkpointer = new Checkpointer(file, () => {}, { idleMs: 30 });
      try {
        insert(db, 10);
        checkpointer.written();
        await until(() => rowsInDatabaseFile(dir, file, true) === 10);
        await Bun.sleep(200); // the thread has left by now
        insert(db, 15);
        checkpointer.written();
        await until(() => rowsInDatabaseFile(dir, file, true) === 25);
        checkpointer.close();
        expect(rowsInDatabaseFile(dir, file)).toBe(25);
      } finally {
        checkpointer.close();
        db.close();
      }
    });
  });

  describe("when the connection closes", () => {
    it("closes the thread's connection first, so the writer's close checkpoints and removes the WAL", async () => {
      const dir = mkdtempSync(join(tmpdir(), "databus-checkpoint-"));
      dirs.push(dir);
      const file = join(dir, "databus.sqlite");
      const conn = new Connection(file);
      conn.client.run("CREATE TABLE t (v TEXT)");
      for (let i = 0; i < 20; i++) conn.write(() => conn.client.run("INSERT INTO t VALUES (?)", ["x".repeat(3000)]));
      await Bun.sleep(50); // the thread has opened its own connection and checkpointed
      conn.write(() => conn.client.run("INSERT INTO t VALUES ('last')"));
      await conn.close();
      expect(existsSync(`${file}-wal`)).toBe(false);
      expect(rowsInDatabaseFile(dir, file)).toBe(21);
    });
  });

  describe("when the thread cannot run", () => {
    it("says so once, names the file, and hands checkpoints back to SQLite", async () => {
      const { dir, file, db } = walFile();
      const broken = join(dir, "broken-worker.ts");
      writeFileSync(broken, "throw new Error('this module is broken');\n");
      const warn = spyOn(console, "warn").mockImplementation(() => {});
      let handedBack = 0;
      const checkpointer = new Checkpointer(file, () => handedBack++, { specifier: broken });
      try {
        checkpointer.written();
        await until(() => handedBack > 0);
        checkpointer.written(); // no second thread, no second warning
        await Bun.sleep(50);
        expect(handedBack).toBe(1);
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0]![0])).toContain(file);
        expect(String(warn.mock.calls[0]![0])).toContain("SQLite checkpoints");
      } finally {
        warn.mockRestore();
        checkpointer.close();
        db.close();
      }
    });

    it("a checkpoint that fails hands checkpoints back to SQLite too", async () => {
      const { dir, file, db } = walFile();
      db.close();
      const warn = spyOn(console, "warn").mockImplementation(() => {});
      let handedBack = 0;
      // The thread opens the file when it first checkpoints: a file that is gone by then fails it.
      const checkpointer = new Checkpointer(join(dir, "gone.sqlite"), () => handedBack++);
      try {
        checkpointer.written();
        await until(() => handedBack > 0);
        expect(handedBack).toBe(1);
        expect(String(warn.mock.calls[0]![0])).toContain("gone.sqlite");
      } finally {
        warn.mockRestore();
        checkpointer.close();
      }
    });
  });
});
