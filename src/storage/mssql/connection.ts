/**
 * The connection to SQL Server: parses `--mssql-url` (URL or ADO form), builds the pool with connect
 * and request timeouts, and says where it points without ever showing the password.
 * Owns no retry policy (see readiness.ts) and no SQL.
 */
import type mssql from "mssql";
import type { MsSqlDatabase } from "drizzle-orm/mssql-core";
/**
 * The SQL Server client and drizzle's driver for it are loaded on first use: together ~40 MB and
 * ~300 ms at every start, and most installations use another engine.
 */
const mssqlLib = (): typeof mssql => require("mssql");
const drizzleMssql = (): typeof import("drizzle-orm/node-mssql") => require("drizzle-orm/node-mssql");
import { DatabusError } from "../../core/errors";

/** What every query builder takes: the engine's drizzle database, a transaction, or `drizzle.mock()`. */
// biome-ignore lint: drizzle's HKT parameters differ between the real, transaction and mock databases
export type Sql = MsSqlDatabase<any, any, any>;

export interface ConnectionOptions {
  /** How long one connection attempt may take (default 15 s). */
  connectTimeoutMs?: number;
  /** How long one statement may take (default 30 s). */
  requestTimeoutMs?: number;
}

export interface Target {
  config: mssql.config;
  /** `host:port/database`, for messages. */
  host: string;
  user: string;
}

const SECRET_KEYS = /^(password|pwd)$/i;

/** The connection string with its password replaced by `***` (URL or `Password=…;` form). */
export function redactConnectionString(text: string): string {
  if (/^(mssql|sqlserver):\/\//i.test(text)) {
    try {
      const url = new URL(text);
      if (url.password) url.password = "***";
      for (const key of [...url.searchParams.keys()]) if (SECRET_KEYS.test(key)) url.searchParams.set(key, "***");
      return url.toString();
    } catch {
      return "(a connection string that is not a valid URL)";
    }
  }
  return text.replace(/((?:^|;)\s*(?:password|pwd)\s*=\s*)("[^"]*"|'[^']*'|\{[^}]*\}|[^;]*)/gi, "$1***");
}

/** Raises DBUS_STO_BAD_URL; the reason never quotes the string itself (it holds the password). */
export function parseConnectionString(text: string, options: ConnectionOptions = {}): Target {
  const trimmed = text.trim();
  if (trimmed === "") throw new DatabusError("DBUS_STO_BAD_URL", { reason: "it is empty; --engine mssql needs --mssql-url" });
  const config = /^(mssql|sqlserver):\/\//i.test(trimmed) ? fromUrl(trimmed) : fromAdo(trimmed);
  if (!config.server) throw new DatabusError("DBUS_STO_BAD_URL", { reason: "it names no server" });
  config.connectionTimeout = options.connectTimeoutMs ?? 15_000;
  config.requestTimeout = options.requestTimeoutMs ?? 30_000;
  config.pool = { max: 10, min: 0, idleTimeoutMillis: 30_000 };
  const port = config.port ?? 1433;
  return { config, host: `${config.server}:${port}${config.database ? `/${config.database}` : ""}`, user: config.user ?? "(none)" };
}

function fromUrl(text: string): mssql.config {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DatabusError("DBUS_STO_BAD_URL", { reason: "it starts like a URL but is not one" });
  }
  const flag = (name: string, fallback: boolean) => {
    const v = url.searchParams.get(name);
    return v === null ? fallback : v === "true";
  };
  return {
    server: url.hostname,
    port: url.port ? Number.parseInt(url.port, 10) : 1433,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, "") || undefined,
    options: { encrypt: flag("encrypt", true), trustServerCertificate: flag("trustServerCertificate", false) },
  };
}

function fromAdo(text: string): mssql.config {
  try {
    return mssqlLib().ConnectionPool.parseConnectionString(text) as mssql.config;
  } catch {
    throw new DatabusError("DBUS_STO_BAD_URL", { reason: "it is neither mssql://… nor Server=…;Database=…" });
  }
}

/** A pool that is not yet connected, and the drizzle database over it. */
export function createPool(target: Target): { pool: mssql.ConnectionPool; db: Sql } {
  const pool = new (mssqlLib().ConnectionPool)(target.config);
  // An idle connection dropping must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  return { pool, db: drizzleMssql().drizzle({ client: pool }) as unknown as Sql };
}
