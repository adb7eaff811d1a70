/** Golden SQL for plugin state: built with `drizzle.mock()`, T-SQL text and parameters asserted (no server needed). */
import { describe, expect, it } from "bun:test";
import * as state from "../../../../../src/storage/mssql/queries/plugin-state";
import { mock as db, render } from "../golden";

describe("mssql queries/plugin-state", () => {
  describe("when state is written", () => {
    it("upserts with MERGE … with (holdlock), the value as a parameter", () => {
      const q = render(state.upsertState(db, "acme", "drv", "k", "1"));
      expect(q.sql).toStartWith("merge [plugin_state] with (holdlock) as target using (select @par0 as client, @par1 as driver, @par2 as [key], @par3 as value) as source");
      expect(q.params).toEqual(["acme", "drv", "k", "1"]);
    });

    it("deletes the key for undefined", () => {
      expect(render(state.deleteState(db, "acme", "drv", "k"))).toEqual({
        sql: "delete from [plugin_state] where (([plugin_state].[client] = @par0) and ([plugin_state].[driver] = @par1) and ([plugin_state].[key] = @par2))",
        params: ["acme", "drv", "k"],
      });
    });
  });
});
