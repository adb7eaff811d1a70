/** Contract area: purge of complete entries by age of completion. */
import { expect } from "bun:test";
import type { ContractContext } from "../database.contract";
import { CLIENT, DEFINITION, request } from "../builders";

export function purgeByAge(t: ContractContext): void {
  t.area("purge by age", () => {
    t.it("deletes complete entries of the definition completed before the cutoff, and only those", async () => {
      const [old, recent, pending, otherDef] = [
        request({}, [], []),
        request({}, [], []),
        request({}, [], []),
        request({ type: "acme/other" }, [], []),
      ];
      await t.db().seat(CLIENT, [old!, recent!, pending!, otherDef!]);
      await t.db().updateStep(CLIENT, old!.passenger.id, 0, { action: "succeed", at: "2024-01-01T00:00:00.000Z" });
      await t.db().updateStep(CLIENT, recent!.passenger.id, 0, { action: "succeed", at: "2024-03-01T00:00:00.000Z" });
      await t.db().updateStep(CLIENT, otherDef!.passenger.id, 0, { action: "succeed", at: "2024-01-01T00:00:00.000Z" });
      expect(await t.db().purgeCompleted(CLIENT, DEFINITION, "2024-02-01T00:00:00.000Z")).toBe(1);
      expect(await t.db().getEntry(CLIENT, old!.passenger.id)).toBeUndefined();
      for (const kept of [recent, pending, otherDef]) expect(await t.db().getEntry(CLIENT, kept!.passenger.id)).toBeDefined();
      expect(await t.db().purgeCompleted(CLIENT, DEFINITION, "2024-02-01T00:00:00.000Z")).toBe(0);
    });

    t.it("frees the dedupe key of a purged entry", async () => {
      const r = request({ external_id: "again" }, [], []);
      await t.db().seat(CLIENT, [r]);
      await t.db().updateStep(CLIENT, r.passenger.id, 0, { action: "succeed", at: "2024-01-01T00:00:00.000Z" });
      await t.db().purgeCompleted(CLIENT, DEFINITION, "2024-02-01T00:00:00.000Z");
      expect((await t.db().seat(CLIENT, [request({ external_id: "again" })])).seated).toHaveLength(1);
    });
  });
}
