/**
 * SQL Server and driver failures → catalogue codes, the same codes every engine raises
 * (STYLE.md "Engines raise the same codes"). Messages never carry the connection string.
 */
import { DatabusError, isDatabusError } from "../../core/errors";

/** SQL Server error numbers that mean "the disk or the log is full". */
const DISK_FULL = new Set([1101, 1105, 9002, 3257]);
/** Unique key (2627) or unique index (2601) violation. */
const DUPLICATE = new Set([2627, 2601]);
/** Login failed, cannot open the database named in the login. */
const LOGIN = new Set([18456, 4060, 18452]);

interface NativeError {
  code?: string;
  number?: number;
  message?: string;
  originalError?: NativeError;
  cause?: NativeError;
  /** tedious reports "could not connect (sequence)" as an AggregateError of each address tried. */
  errors?: NativeError[];
  precedingErrors?: NativeError[];
}

/** The error and what it wraps (drizzle wraps mssql, which wraps tedious). */
function chainOf(e: unknown): NativeError[] {
  const out: NativeError[] = [];
  let cur = e as NativeError | undefined;
  while (cur && typeof cur === "object" && out.length < 12) {
    out.push(cur, ...(Array.isArray(cur.errors) ? cur.errors : []));
    cur = cur.originalError ?? cur.cause;
  }
  return out;
}

/** The SQL Server error number, if any. */
export function sqlErrorNumber(e: unknown): number | undefined {
  return chainOf(e).find((x) => typeof x.number === "number")?.number;
}

/** The driver's error code (ESOCKET, ETIMEOUT, ELOGIN …) and all messages of the chain. */
function describe(e: unknown): { code?: string; text: string } {
  const chain = chainOf(e);
  return { code: chain.find((x) => typeof x.code === "string")?.code, text: chain.map((x) => x.message ?? "").join(" ") };
}

export const isDuplicateKey = (e: unknown): boolean => DUPLICATE.has(sqlErrorNumber(e) ?? 0);

/** Why a connection attempt failed, in plain words. */
function reasonOf(e: unknown, connectTimeoutMs: number): string {
  const { code, text } = describe(e);
  if (/ECONNREFUSED/.test(text)) return "the connection was refused";
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return "the host name is not known";
  if (code === "ETIMEOUT" || /timeout|timed out/i.test(text)) {
    const s = Math.max(1, Math.round(connectTimeoutMs / 1000));
    return `no answer within ${s} ${s === 1 ? "second" : "seconds"}`;
  }
  if (/ECONNRESET|closed/i.test(text)) return "the connection was closed by the other side";
  return "the network connection failed";
}

/** A failure while connecting → DBUS_STO_LOGIN_FAILED or DBUS_STO_UNREACHABLE. */
export function connectFailure(e: unknown, where: { host: string; user: string; retrySeconds: number; connectTimeoutMs: number }): DatabusError {
  if (isDatabusError(e)) return e;
  if (describe(e).code === "ELOGIN" || LOGIN.has(sqlErrorNumber(e) ?? 0))
    return new DatabusError("DBUS_STO_LOGIN_FAILED", { host: where.host, user: where.user }, { cause: e });
  return new DatabusError(
    "DBUS_STO_UNREACHABLE",
    { host: where.host, reason: reasonOf(e, where.connectTimeoutMs), seconds: where.retrySeconds },
    { cause: e },
  );
}

/** A failure of a statement → the catalogue; catalogue errors pass through unchanged. */
export function queryFailure(e: unknown, where: { host: string; retrySeconds: number; requestTimeoutMs: number }): DatabusError {
  if (isDatabusError(e)) return e;
  const { code } = describe(e);
  const n = sqlErrorNumber(e);
  if (n !== undefined && DISK_FULL.has(n)) return new DatabusError("DBUS_STO_DISK_FULL", { path: `the SQL Server database at ${where.host}` }, { cause: e });
  if (code === "ETIMEOUT")
    return new DatabusError("DBUS_STO_UNREACHABLE", { host: where.host, reason: `a statement took longer than ${Math.round(where.requestTimeoutMs / 1000)} seconds`, seconds: where.retrySeconds }, { cause: e });
  if (code === "ESOCKET" || code === "ECONNCLOSED" || code === "ENOTOPEN" || code === "ECONNRESET")
    return new DatabusError("DBUS_STO_UNREACHABLE", { host: where.host, reason: "the connection was lost", seconds: where.retrySeconds }, { cause: e });
  const reason = n === undefined ? "an unexpected driver error" : `SQL Server error ${n}`;
  return new DatabusError("DBUS_STO_WRITE_FAILED", { path: `the SQL Server database at ${where.host}`, reason }, { cause: e });
}
