/** Golden SQL for logs: built with `drizzle.mock()`, T-SQL text and parameters asserted (no server needed). */
import { describe, expect, it } from "bun:test";
import * as logs from "../../../../../src/storage/mssql/queries/logs";
import { mock as db, render } from "../golden";

describe("mssql queries/logs", () => {
  describe("when logs are written and read", () => {
    it("locks the log header while appending", () => {
      expect(render(logs.selectLogForAppend(db, "acme", "L1")).sql).toBe(
        "select [logs].[level], [logs].[entries_count] from [logs] with (updlock, rowlock) where (([logs].[client] = @par0) and ([logs].[id] = @par1))",
      );
    });

    it("creates a log with the instance that runs it as a parameter (#5)", () => {
      const row = { client: "acme", id: "L1", origin: "run", at: "A", title: "run x", definition: "x", level: "info", entriesCount: 0, finishedAt: null, counts: null, instanceId: "node-a:42" };
      expect(render(logs.insertLog(db, row))).toEqual({
        sql: "insert into [logs] ([client], [id], [origin], [at], [title], [definition], [level], [entries_count], [finished_at], [counts], [instance_id]) values (@par0, @par1, @par2, @par3, @par4, @par5, @par6, @par7, @par8, @par9, @par10)",
        params: ["acme", "L1", "run", "A", "run x", "x", "info", 0, null, null, "node-a:42"],
      });
    });

    it("pages newest first with the level filter as parameters", () => {
      expect(render(logs.selectLogPage(db, "acme", { levels: ["warning", "error"], since: "S", origin: "run" }, 50, 25))).toEqual({
        sql: "select [client], [id], [origin], [at], [title], [definition], [level], [entries_count], [finished_at], [counts], [instance_id] from [logs] where (([logs].[client] = @par0) and ([logs].[origin] = @par1) and ([logs].[at] >= @par2) and ([logs].[level] in (@par3, @par4))) order by [logs].[at] desc, [logs].[id] desc offset @par5 rows fetch next @par6 rows only",
        params: ["acme", "run", "S", "warning", "error", 50, 25],
      });
    });

    it("purges entries of old logs with a join, then the logs with output deleted", () => {
      expect(render(logs.purgeLogEntriesBefore(db, "acme", "B"))).toEqual({
        sql: "delete e from [log_entries] as e inner join [logs] as l on l.[client] = e.[client] and l.[id] = e.[log_id] where l.[client] = @par0 and l.[at] < @par1",
        params: ["acme", "B"],
      });
      expect(render(logs.purgeLogsBefore(db, "acme", "B")).sql).toBe(
        "delete from [logs] output DELETED.[id] where (([logs].[client] = @par0) and ([logs].[at] < @par1))",
      );
    });
  });
});
