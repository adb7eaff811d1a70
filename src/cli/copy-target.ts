/**
 * The Export page's copy target: creates a sqlite or mssql engine from what the form says. A page must
 * not wait forever for a server that is down, so mssql tries once (with the usual connect timeout).
 * The label names the file or `host:port/database`, never the connection string (it holds a password).
 */
import { resolve } from "node:path";
import { DatabusError, isDatabusError } from "../core/errors";
import { createMssqlDatabase } from "../storage/mssql/index";
import { createSqliteDatabase } from "../storage/sqlite/index";
import type { OpenCopyTarget } from "../web/deps";

export const openCopyTarget: OpenCopyTarget = (engine, where) => {
  const text = where.trim();
  if (text === "") throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "where", problem: engine === "sqlite" ? "name the sqlite file" : "give the SQL Server connection string" });
  if (engine === "sqlite") {
    const file = resolve(text);
    return { db: createSqliteDatabase(file), label: `sqlite ${file}` };
  }
  try {
    const db = createMssqlDatabase(text, { retry: { maxAttempts: 1 } });
    return { db, label: `mssql ${db.host}` };
  } catch (e) {
    // A form mistake, not a server problem: answered as bad input (the reason never quotes the string).
    if (isDatabusError(e, "DBUS_STO_BAD_URL")) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "where", problem: e.message.replace(/\.$/, "") });
    throw e;
  }
};
