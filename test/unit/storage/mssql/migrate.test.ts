/** The embedded migrations: same records as drizzle's folder reader, the applied-names query, and the too-new check. */
import { describe, expect, it } from "bun:test";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { join } from "node:path";
import { checkNotTooNew, migrationMetas, MIGRATIONS, selectAppliedMigrations } from "../../../../src/storage/mssql/migrate";
import { mock as db, render } from "./golden";

const FOLDER = join(import.meta.dir, "../../../../src/storage/mssql/migrations");

describe("mssql migrate", () => {
  describe("when the embedded migrations are compared with drizzle's own reader", () => {
    it("gives the same names, hashes, times and statements, so both record the same rows", () => {
      const strip = (m: { name: string; hash: string; folderMillis: number; sql: string[] }) => ({ name: m.name, hash: m.hash, folderMillis: m.folderMillis, sql: m.sql });
      expect(migrationMetas().map(strip)).toEqual(readMigrationFiles({ migrationsFolder: FOLDER }).map(strip));
    });

    it("creates every table of the schema", () => {
      const text = MIGRATIONS.map((m) => m.text).join("\n");
      for (const table of ["clients", "config_backups", "client_files", "queue_entries", "step_statuses", "attachments", "logs", "log_entries", "plugin_state", "leases"])
        expect(text).toContain(`CREATE TABLE [${table}]`);
      expect(text).toContain("[content] varbinary(max) NOT NULL");
      expect(text).toContain("CREATE UNIQUE INDEX [queue_entries_dedupe] ON [queue_entries] ([client],[source_system],[external_id])");
    });
  });

  describe("when migrations are checked at open", () => {
    it("reads the applied names only when drizzle's table exists", () => {
      expect(render(selectAppliedMigrations(db))).toEqual({
        sql: "if object_id(@par0, 'U') is not null select [name] from [drizzle].[__drizzle_migrations] else select cast(null as nvarchar(200)) as [name] where 1 = 0",
        params: ["drizzle.__drizzle_migrations"],
      });
    });

    it("accepts a database with known or no migrations", () => {
      expect(() => checkNotTooNew([])).not.toThrow();
      expect(() => checkNotTooNew(MIGRATIONS.map((m) => m.name))).not.toThrow();
    });

    it("raises DBUS_STO_SCHEMA_TOO_NEW when a newer Databus migrated the database", () => {
      expect(() => checkNotTooNew([...MIGRATIONS.map((m) => m.name), "29990101000000_later"])).toThrow(
        expect.objectContaining({ code: "DBUS_STO_SCHEMA_TOO_NEW" }),
      );
    });
  });
});
