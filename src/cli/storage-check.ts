/**
 * `databus check`'s storage line: opens the chosen engine read-only and says where it is, whether it
 * answers and, for the relational engines, whether its schema is at this build's latest migration.
 * A problem (unreachable, migrations pending, schema too new) is returned for the problem list instead.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DatabusError, isDatabusError, reasonOf } from "../core/errors";
import type { Settings } from "../settings/schema";
import type { Database } from "../storage/database";
import { MssqlDatabase } from "../storage/mssql/index";
import { SqliteDatabase } from "../storage/sqlite/index";

export interface StorageCheck {
  /** Whether the engine is open (the caller then reads clients through it, and closes it). */
  opened: boolean;
  /** `storage: <engine> <where> — <state>` when there is no problem. */
  line?: string;
  /** What went wrong, and where to say it was (`storage sqlite /srv/…/databus.sqlite`). */
  problem?: { error: unknown; where: string };
}

/** Where the engine keeps its data, for people: a folder, a file or `host:port/database` (never a password). */
export function locationOf(db: Database, settings: Pick<Settings, "home">): string {
  if (db instanceof SqliteDatabase) return db.file;
  if (db instanceof MssqlDatabase) return db.host;
  if (db.engine === "json") return join(settings.home, "data");
  return "(a plugin engine)";
}

export async function checkStorage(db: Database, settings: Pick<Settings, "home">): Promise<StorageCheck> {
  const where = `${db.engine} ${locationOf(db, settings)}`;
  const at = `storage ${where}`;
  // A new sqlite home has no file until the first start creates it; that is not a problem.
  if (db instanceof SqliteDatabase && !existsSync(db.file)) return { opened: false, line: `storage: ${where} — no database file yet; the first start creates it` };
  try {
    await db.open({ readOnly: true });
  } catch (e) {
    return { opened: false, problem: { error: e, where: at } };
  }
  if (!(db instanceof SqliteDatabase || db instanceof MssqlDatabase)) {
    const state = db.engine === "json" ? "folder and journal readable" : "opened";
    return { opened: true, line: `storage: ${where} — ${state}` };
  }
  try {
    return { opened: true, ...schemaState(where, at, await db.schemaMigrations()) };
  } catch (e) {
    const error = isDatabusError(e) ? e : new DatabusError("DBUS_STO_CORRUPT_FILE", { path: locationOf(db, settings), reason: reasonOf(e) });
    return { opened: true, problem: { error, where: at } };
  }
}

function schemaState(where: string, at: string, m: { applied: string[]; known: string[] }): Pick<StorageCheck, "line" | "problem"> {
  const latest = m.known.at(-1) ?? "(none)";
  const unknown = m.applied.filter((n) => !m.known.includes(n));
  if (unknown.length > 0) return { problem: { error: new DatabusError("DBUS_STO_SCHEMA_TOO_NEW", { found: unknown.at(-1)!, expected: latest }), where: at } };
  const pending = m.known.filter((n) => !m.applied.includes(n));
  const current = m.applied.at(-1) ?? "none (empty database)";
  if (pending.length > 0)
    return { problem: { error: new DatabusError("DBUS_STO_MIGRATIONS_PENDING", { count: pending.length, at: current, latest }), where: at } };
  return { line: `storage: ${where} — reachable, schema at migration ${current} (latest)` };
}
