import { Database as BunDatabase } from "bun:sqlite";
import { describe, expect, it } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { appliedMigrations, applyMigrations, MIGRATIONS, MIGRATIONS_TABLE } from "../../../../src/storage/sqlite/migrate";

const NOW = () => "2024-05-01T10:00:00.000Z";
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe("sqlite migrations", () => {
  describe("when the list of embedded migrations is compared with the folder", () => {
    it("names every folder drizzle-kit generated, oldest first", () => {
      const folders = readdirSync(join(import.meta.dir, "../../../../src/storage/sqlite/migrations"), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
      expect(MIGRATIONS.map((m) => m.name)).toEqual(folders);
    });
  });

  describe("when a new database is opened", () => {
    it("applies every migration and records each by name", () => {
      const db = new BunDatabase(":memory:");
      expect(applyMigrations(db, NOW)).toEqual(MIGRATIONS.map((m) => m.name));
      expect(appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.name));
      const tables = db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name);
      expect(tables).toContain("queue_entries");
      expect(tables).toContain("leases");
      expect(db.query(`SELECT applied_at FROM ${MIGRATIONS_TABLE}`).get()).toEqual({ applied_at: NOW() });
    });
  });

  describe("when the database is already migrated", () => {
    it("applies nothing again and keeps one record per migration", () => {
      const db = new BunDatabase(":memory:");
      applyMigrations(db, NOW);
      expect(applyMigrations(db, NOW)).toEqual([]);
      expect(db.query(`SELECT count(*) AS n FROM ${MIGRATIONS_TABLE}`).get()).toEqual({ n: MIGRATIONS.length });
    });
  });

  describe("when the database records a migration this build does not know", () => {
    it("refuses with DBUS_STO_SCHEMA_TOO_NEW and changes nothing", () => {
      const db = new BunDatabase(":memory:");
      applyMigrations(db, NOW);
      db.run(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at, name, applied_at) VALUES ('', 0, '29990101000000_future', 'x')`);
      expect(codeOf(() => applyMigrations(db, NOW))).toBe("DBUS_STO_SCHEMA_TOO_NEW");
      expect(appliedMigrations(db)).toHaveLength(MIGRATIONS.length + 1);
    });
  });
});
