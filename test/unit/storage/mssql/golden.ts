/** Support for the golden-SQL tests: a mock drizzle database and the text SQL Server would receive. */
import { SQL } from "drizzle-orm";
import { MsSqlDialect } from "drizzle-orm/mssql-core";
import { drizzle } from "drizzle-orm/node-mssql";
import type { Sql } from "../../../../src/storage/mssql/connection";

export const mock = drizzle.mock() as unknown as Sql;
const dialect = new MsSqlDialect();

/** The text and parameters SQL Server receives; whitespace folded so the assertions read as one line. */
export function render(q: SQL | { toSQL(): { sql: string; params: unknown[] } }): { sql: string; params: unknown[] } {
  const out = q instanceof SQL ? dialect.sqlToQuery(q) : q.toSQL();
  return { sql: out.sql.replace(/\s+/g, " ").trim(), params: out.params };
}
