/** Contract area: listing, paging, sorting, filters and counts. */
import { expect } from "bun:test";
import type { ContractContext } from "../database.contract";
import { CLIENT, DEFINITION, T0, request } from "../builders";

const OTHER_DEF = "acme/invoice";

export function listingAndPaging(t: ContractContext): void {
  t.area("listing, paging and filters", () => {
    async function seatMix() {
      const rs = [
        request({ external_id: "INV-001", source_system: "Mailbox" }, [], []),
        request({ external_id: "inv-002", source_system: "ftp" }),
        request({ external_id: "ord-003", source_system: "ftp" }),
        request({ external_id: "ord-004", source_system: "api", type: OTHER_DEF }),
        request({ external_id: "ord-005", source_system: "api" }),
      ];
      // Separate calls: seated_at order follows call order (ties are broken by id, which also increases).
      for (const r of rs) await t.db().seat(CLIENT, [r]);
      await t.db().updateStep(CLIENT, rs[0]!.passenger.id, 0, { action: "succeed", at: T0 });
      await t.db().updateStep(CLIENT, rs[2]!.passenger.id, 0, { action: "fail", at: T0, error: "x", nextAttemptAt: null });
      return rs.map((r) => r.passenger.external_id);
    }
    const externals = (page: { entries: Array<{ passenger: { external_id: string } }> }) => page.entries.map((e) => e.passenger.external_id);

    t.it("lists newest first by default and oldest first on request, with the total", async () => {
      const ext = await seatMix();
      const newest = await t.db().listEntries(CLIENT, {}, { offset: 0, limit: 10 });
      expect(newest.total).toBe(5);
      expect(externals(newest)).toEqual([...ext].reverse());
      expect(externals(await t.db().listEntries(CLIENT, {}, { offset: 0, limit: 10 }, "seated_at"))).toEqual(ext);
    });

    t.it("pages with offset and limit and keeps the total of all matches", async () => {
      const ext = await seatMix();
      const page = await t.db().listEntries(CLIENT, {}, { offset: 1, limit: 2 }, "seated_at");
      expect(page.total).toBe(5);
      expect(externals(page)).toEqual(ext.slice(1, 3));
      const past = await t.db().listEntries(CLIENT, {}, { offset: 10, limit: 2 });
      expect(past).toEqual({ total: 5, entries: [] });
    });

    t.it("filters by definition, state and text (case-insensitive, external id or source)", async () => {
      await seatMix();
      const list = (f: object) => t.db().listEntries(CLIENT, f, { offset: 0, limit: 10 }, "seated_at").then(externals);
      expect(await list({ definition: OTHER_DEF })).toEqual(["ord-004"]);
      expect(await list({ state: "complete" })).toEqual(["INV-001"]);
      expect(await list({ state: "dead" })).toEqual(["ord-003"]);
      expect(await list({ text: "inv" })).toEqual(["INV-001", "inv-002"]);
      expect(await list({ text: "FTP" })).toEqual(["inv-002", "ord-003"]);
      expect(await list({ text: "ord", state: "pending", definition: DEFINITION })).toEqual(["ord-005"]);
    });

    t.it("counts entries by state, for all definitions or one", async () => {
      await seatMix();
      expect(await t.db().countEntries(CLIENT)).toEqual({ pending: 3, failed: 0, dead: 1, complete: 1 });
      expect(await t.db().countEntries(CLIENT, OTHER_DEF)).toEqual({ pending: 1, failed: 0, dead: 0, complete: 0 });
      expect(await t.db().countEntries(CLIENT, "nobody/none")).toEqual({ pending: 0, failed: 0, dead: 0, complete: 0 });
    });
  });
}
