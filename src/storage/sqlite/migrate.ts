/**
 * The migrations, embedded as text (the binary never reads a migrations folder at run time), and
 * applying them at open inside one IMMEDIATE transaction, recorded in drizzle's `__drizzle_migrations`
 * table so drizzle-kit sees the same history. Several instances opening one file at once apply them once.
 * Errors: DBUS_STO_SCHEMA_TOO_NEW when the file records a migration this build does not know.
 */
import type { Database as BunDatabase } from "bun:sqlite";
import { DatabusError } from "../../core/errors";
import init from "./migrations/20261128010138_init/migration.sql" with { type: "text" };
import logInstance from "./migrations/20261128023617_log_instance/migration.sql" with { type: "text" };

export interface Migration {
  /** The folder name drizzle-kit gave it; recorded once applied. */
  name: string;
  sql: string;
}

/** Oldest first. Add a line here for each folder `drizzle-kit generate` adds (a unit test checks). */
export const MIGRATIONS: readonly Migration[] = [
  { name: "20261128010138_init", sql: init },
  { name: "20261128023617_log_instance", sql: logInstance },
];

export const MIGRATIONS_TABLE = "__drizzle_migrations";

/** Names of the migrations the database records as applied, oldest first; [] when it has none. */
export function appliedMigrations(client: BunDatabase): string[] {
  const table = client.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE);
  if (!table) return [];
  return client
    .query<{ name: string | null }, []>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)
    .all()
    .flatMap((r) => (r.name === null ? [] : [r.name]));
}

/** Applies what is missing; returns the names applied now. */
export function applyMigrations(client: BunDatabase, now: () => string): string[] {
  const applied: string[] = [];
  // IMMEDIATE takes the write lock first, so a second instance waits and then finds the work done.
  client.transaction(() => {
    client.run(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric, name text, applied_at TEXT)`,
    );
    const done = new Set(appliedMigrations(client));
    const known = new Set(MIGRATIONS.map((m) => m.name));
    const unknown = [...done].filter((n) => !known.has(n));
    if (unknown.length > 0)
      throw new DatabusError("DBUS_STO_SCHEMA_TOO_NEW", { found: unknown[unknown.length - 1]!, expected: MIGRATIONS[MIGRATIONS.length - 1]!.name });
    for (const m of MIGRATIONS) {
      if (done.has(m.name)) continue;
      for (const statement of m.sql.split("--> statement-breakpoint")) if (statement.trim() !== "") client.run(statement);
      const createdAt = Number(m.name.slice(0, 14).replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/, (_, y, mo, d, h, mi, s) => String(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s))));
      client.run(`INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at, name, applied_at) VALUES (?, ?, ?, ?)`, ["", createdAt, m.name, now()]);
      applied.push(m.name);
    }
  }).immediate();
  return applied;
}
