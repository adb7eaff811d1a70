/** Golden SQL for clients, configs, backups and files: built with `drizzle.mock()`, T-SQL text and parameters asserted (no server needed). */
import { describe, expect, it } from "bun:test";
import * as clients from "../../../../../src/storage/mssql/queries/clients";
import { mock as db, render } from "../golden";

describe("mssql queries/clients", () => {
  describe("when configs, files and state are written", () => {
    it("reads the config under an update lock inside a config change", () => {
      expect(render(clients.selectConfigText(db, "acme", true)).sql).toBe(
        "select [clients].[config_text] from [clients] with (updlock, holdlock) where [clients].[id] = @par0",
      );
    });

    it("upserts client files with MERGE … with (holdlock)", () => {
      const q = render(clients.upsertFile(db, "acme", "map.csv", "a;b"));
      expect(q.sql).toStartWith("merge [client_files] with (holdlock) as target using (select @par0 as client, @par1 as name, @par2 as text) as source");
      expect(q.params).toEqual(["acme", "map.csv", "a;b"]);
    });

    it("lists backups newest first and purges them with output deleted", () => {
      expect(render(clients.selectBackups(db, "acme")).sql).toBe(
        "select [id], [at] from [config_backups] where [config_backups].[client] = @par0 order by [config_backups].[at] desc, [config_backups].[id] desc",
      );
      expect(render(clients.deleteBackupsBefore(db, "acme", "B"))).toEqual({
        sql: "delete from [config_backups] output DELETED.[id] where (([config_backups].[client] = @par0) and ([config_backups].[at] < @par1))",
        params: ["acme", "B"],
      });
    });

    it("deletes a client's leases with `_` escaped in the LIKE pattern", () => {
      const stmts = clients.deleteClientRows(db, "ac_me").map((s) => render(s));
      expect(stmts).toHaveLength(10);
      expect(stmts.at(-1)?.sql).toBe("delete from [clients] where [clients].[id] = @par0");
      expect(stmts.find((s) => s.sql.includes("[leases]"))).toEqual({ sql: "delete from [leases] where [leases].[resource] like @par0", params: ["ac[_]me/%"] });
    });
  });
});
