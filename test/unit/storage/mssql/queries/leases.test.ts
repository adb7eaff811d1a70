/** Golden SQL for run leases: built with `drizzle.mock()`, T-SQL text and parameters asserted (no server needed). */
import { describe, expect, it } from "bun:test";
import * as leases from "../../../../../src/storage/mssql/queries/leases";
import { mock as db, render } from "../golden";

describe("mssql queries/leases", () => {
  describe("when leases are claimed, renewed and released", () => {
    const claim = { resource: "acme/d1", instanceId: "node-a", token: "t1", nowIso: "N", expiresAt: "E" };

    it("claims with a MERGE under updlock/holdlock that takes free or expired leases only", () => {
      const q = render(leases.claimLease(db, claim));
      expect(q.sql).toBe(
        "merge [leases] with (updlock, holdlock) as target using (select @par0 as resource) as source on target.[resource] = source.resource when matched and target.[expires_at] <= @par1 then update set [instance_id] = @par2, [token] = @par3, [expires_at] = @par4 when not matched then insert ([resource], [instance_id], [token], [expires_at]) values (@par5, @par6, @par7, @par8) output inserted.[resource], inserted.[instance_id], inserted.[token], inserted.[expires_at];",
      );
      expect(q.params).toEqual(["acme/d1", "N", "node-a", "t1", "E", "acme/d1", "node-a", "t1", "E"]);
    });

    it("renews only with the token (a lease taken over has a new one)", () => {
      expect(render(leases.renewLease(db, "acme/d1", "t1", "E"))).toEqual({
        sql: "update [leases] set [expires_at] = @par0 output INSERTED.[expires_at] where (([leases].[resource] = @par1) and ([leases].[token] = @par2))",
        params: ["E", "acme/d1", "t1"],
      });
    });

    it("releases only with the token", () => {
      expect(render(leases.releaseLease(db, "acme/d1", "t1"))).toEqual({
        sql: "delete from [leases] output DELETED.[resource] where (([leases].[resource] = @par0) and ([leases].[token] = @par1))",
        params: ["acme/d1", "t1"],
      });
    });
  });
});
