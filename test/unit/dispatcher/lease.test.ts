import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Clock } from "../../../src/core/clock";
import { Dispatcher } from "../../../src/dispatcher/dispatcher";
import { RunLease } from "../../../src/dispatcher/lease";
import { PluginRegistry } from "../../../src/plugins/registry";
import { Passenger, Puller, Pusher } from "../../../src/sdk/index";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

class Item extends Passenger<Record<string, never>> {}
class OnePuller extends Puller<Item> {
  pull() {
    return [new Item({ external_id: "x" })];
  }
}
class Accept extends Pusher<Item> {
  push() {}
}

const clock: Clock = { now: () => Date.parse("2026-07-01T00:00:00Z") };

describe("run leases", () => {
  describe("when another instance holds the lease of a definition", () => {
    let t: TempHome;
    let db: Database;
    beforeEach(async () => {
      t = await createTempHome("databus-lease-");
      db = createJsonDatabase(t.dataDir, { clock });
      await db.open();
    });
    afterEach(async () => {
      await db.close();
      await t.cleanup();
    });

    it("leaves that run to it and runs the others", async () => {
      await db.createClient("acme", JSON.stringify({ passengers: ["t/a", "t/b"].map((name) => ({ name, pullers: ["t/puller"], pushers: ["t/push"] })) }));
      const claims: string[] = [];
      const shared = new Proxy(db, {
        get(target, prop, receiver) {
          if (prop === "claimRun")
            return async (client: string, definition: string, instance: string) => {
              claims.push(`${client}/${definition} by ${instance}`);
              return definition === "t/b" ? null : "token-a";
            };
          const v = Reflect.get(target, prop, receiver);
          return typeof v === "function" ? v.bind(target) : v;
        },
      });
      const registry = new PluginRegistry();
      for (const [name, kind, cls] of [["t/a", "passenger", Item], ["t/b", "passenger", Item], ["t/puller", "puller", OnePuller], ["t/push", "pusher", Accept]] as const)
        registry.set({ status: "loaded", name, kind, file: null, cls });
      const d = new Dispatcher({ db: shared, registry, clock, home: t.home, tickMs: 3_600_000, concurrency: 4, graceMs: 1000, instance: "node-1" });
      d.start();
      await d.idle();
      await d.shutdown();
      expect(claims.sort()).toEqual(["acme/t/a by node-1", "acme/t/b by node-1"]);
      const logs = await db.listLogs("acme", { origin: "run" }, { offset: 0, limit: 10 });
      expect(logs.logs.map((l) => l.definition)).toEqual(["t/a"]);
      expect(await db.countEntries("acme", "t/b")).toEqual({ pending: 0, failed: 0, dead: 0, complete: 0 });
    });
  });

  describe("RunLease", () => {
    it("renews while held, gives up at the end, and counts as lost when a renewal fails", async () => {
      const calls: string[] = [];
      let renewOk = true;
      const fake = {
        claimRun: async () => "tok",
        renewRun: async () => (calls.push("renew"), renewOk),
        releaseRun: async () => void calls.push("release"),
      } as unknown as Database;
      const lease = (await RunLease.claim(fake, "acme", "t/a", "node-1", clock, 3000))!;
      await Bun.sleep(1150); // renewals come every third of the time-to-live (1 s here)
      expect(calls).toEqual(["renew"]);
      renewOk = false;
      await Bun.sleep(1100);
      expect(lease.lost).toBe(true);
      await lease.release();
      expect(calls).toEqual(["renew", "renew"]); // a lost lease is not released: someone else holds it
    });

    it("is null when the claim is refused", async () => {
      const fake = { claimRun: async () => null } as unknown as Database;
      expect(await RunLease.claim(fake, "acme", "t/a", "node-1", clock)).toBeNull();
    });
  });
});
