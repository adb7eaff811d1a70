/**
 * Contract area: run leases. Engines shared by several instances give a run to one instance at a
 * time and let another take over once the lease expired; engines one instance owns grant every claim.
 */
import { expect } from "bun:test";
import type { ContractContext } from "../database.contract";
import { CLIENT, DEFINITION } from "../builders";

const T0 = Date.parse("2024-06-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms).toISOString();

export function leases(t: ContractContext): void {
  t.area("run leases", () => {
    t.it("gives a run to one instance at a time, and to another once the lease expired", async () => {
      const db = t.db();
      const a = await db.claimRun(CLIENT, DEFINITION, "node-a", at(0), 60_000);
      expect(typeof a).toBe("string");
      const b = await db.claimRun(CLIENT, DEFINITION, "node-b", at(1000), 60_000);
      if (!db.sharedByInstances) {
        // One instance owns this storage (a lock file keeps others out): every claim is granted.
        expect(typeof b).toBe("string");
        expect(await db.renewRun(CLIENT, DEFINITION, a!, at(2000), 60_000)).toBe(true);
        return;
      }
      expect(b).toBeNull();
      expect(await db.claimRun(CLIENT, "other/definition", "node-b", at(1000), 60_000)).not.toBeNull();
      expect(await db.renewRun(CLIENT, DEFINITION, a!, at(30_000), 60_000)).toBe(true);
      expect(await db.claimRun(CLIENT, DEFINITION, "node-b", at(80_000), 60_000)).toBeNull(); // renewed until 90 s
      const taken = await db.claimRun(CLIENT, DEFINITION, "node-b", at(91_000), 60_000);
      expect(typeof taken).toBe("string");
      expect(await db.renewRun(CLIENT, DEFINITION, a!, at(92_000), 60_000)).toBe(false);
      await db.releaseRun(CLIENT, DEFINITION, a!); // stale: must not free node-b's lease
      expect(await db.claimRun(CLIENT, DEFINITION, "node-a", at(93_000), 60_000)).toBeNull();
      await db.releaseRun(CLIENT, DEFINITION, taken!);
      expect(await db.claimRun(CLIENT, DEFINITION, "node-a", at(94_000), 60_000)).not.toBeNull();
    });
  });
}
