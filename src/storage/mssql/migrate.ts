/**
 * The committed drizzle-kit migrations, embedded as text (no folder is read at run time), and their
 * application at open: drizzle's own migrator runs the pending ones in one transaction and records
 * each in drizzle.__drizzle_migrations, exactly as `drizzle-kit migrate` would.
 */
import { createHash } from "node:crypto";
import type { MigrationMeta } from "drizzle-orm/migrator";
import { sql } from "drizzle-orm";
import { DatabusError } from "../../core/errors";
import type { Sql } from "./connection";
import init from "./migrations/20261128005511_init/migration.sql" with { type: "text" };
import logInstance from "./migrations/20261128023620_log_instance/migration.sql" with { type: "text" };

/** Folder name → migration.sql text, oldest first. Add each new folder drizzle-kit writes here. */
export const MIGRATIONS: ReadonlyArray<{ name: string; text: string }> = [
  { name: "20261128005511_init", text: init },
  { name: "20261128023620_log_instance", text: logInstance },
];

export const MIGRATIONS_SCHEMA = "drizzle";
export const MIGRATIONS_TABLE = "__drizzle_migrations";

/** The same records drizzle's readMigrationFiles builds from the folder (same hash, same split). */
export function migrationMetas(): MigrationMeta[] {
  return MIGRATIONS.map(({ name, text }) => ({
    name,
    sql: text.split("--> statement-breakpoint"),
    bps: true,
    folderMillis: folderMillis(name),
    hash: createHash("sha256").update(text).digest("hex"),
  }));
}

function folderMillis(name: string): number {
  const n = (from: number, to: number) => Number.parseInt(name.slice(from, to), 10);
  return Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14));
}

/** Names of the migrations the database has recorded (empty when the table does not exist yet). */
export const selectAppliedMigrations = (_db: Sql) => sql`
if object_id(${`${MIGRATIONS_SCHEMA}.${MIGRATIONS_TABLE}`}, 'U') is not null
  select [name] from ${sql.identifier(MIGRATIONS_SCHEMA)}.${sql.identifier(MIGRATIONS_TABLE)}
else
  select cast(null as nvarchar(200)) as [name] where 1 = 0`;

/** Raises DBUS_STO_SCHEMA_TOO_NEW when the database has migrations this binary does not know. */
export function checkNotTooNew(applied: string[]): void {
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const unknown = applied.filter((n) => !known.has(n)).sort();
  if (unknown.length > 0)
    throw new DatabusError("DBUS_STO_SCHEMA_TOO_NEW", { found: unknown.at(-1) ?? "", expected: MIGRATIONS.at(-1)?.name ?? "" });
}

/** Names of the migrations the database records, in the order it lists them. */
export async function listAppliedMigrations(db: Sql): Promise<string[]> {
  const result = (await db.execute(selectAppliedMigrations(db))) as unknown as { recordset?: Array<{ name: string }> };
  return (result.recordset ?? []).map((r) => r.name);
}

/** Applies pending migrations (one transaction, recorded). */
export async function applyMigrations(db: Sql): Promise<void> {
  checkNotTooNew(await listAppliedMigrations(db));
  // `dialect` and `session` are internal to drizzle; this is what drizzle-orm/node-mssql/migrator does.
  const internal = db as unknown as { dialect: { migrate(m: MigrationMeta[], s: unknown, c: object): Promise<unknown> }; session: unknown };
  await internal.dialect.migrate(migrationMetas(), internal.session, { migrationsSchema: MIGRATIONS_SCHEMA, migrationsTable: MIGRATIONS_TABLE });
}
