/** Contract area: the plugin key-value state, per client and driver. */
import { expect } from "bun:test";
import type { ContractContext } from "../database.contract";
import { CLIENT, OTHER, clientConfig } from "../builders";

export function pluginState(t: ContractContext): void {
  t.area("plugin key-value state", () => {
    t.it("returns undefined for a key never set", async () => {
      expect(await t.db().getState(CLIENT, "acme/invoice_puller", "cursor")).toBeUndefined();
    });

    t.it("keeps JSON values per client, driver and key", async () => {
      await t.db().createClient(OTHER, clientConfig());
      await t.db().setState(CLIENT, "acme/invoice_puller", "cursor", { page: 3, seen: ["a", "b"] });
      await t.db().setState(CLIENT, "acme/invoice_puller", "count", 7);
      await t.db().setState(CLIENT, "acme/other", "cursor", "x");
      await t.db().setState(OTHER, "acme/invoice_puller", "cursor", null);
      expect(await t.db().getState(CLIENT, "acme/invoice_puller", "cursor")).toEqual({ page: 3, seen: ["a", "b"] });
      expect(await t.db().getState(CLIENT, "acme/invoice_puller", "count")).toBe(7);
      expect(await t.db().getState(CLIENT, "acme/other", "cursor")).toBe("x");
      expect(await t.db().getState(OTHER, "acme/invoice_puller", "cursor")).toBeNull();
    });

    t.it("deletes a key when set to undefined", async () => {
      await t.db().setState(CLIENT, "acme/p", "k", 1);
      await t.db().setState(CLIENT, "acme/p", "k", undefined);
      expect(await t.db().getState(CLIENT, "acme/p", "k")).toBeUndefined();
    });

    t.it("keeps every one of many concurrent sets", async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => t.db().setState(CLIENT, "acme/p", `k${i}`, i)));
      for (let i = 0; i < 20; i++) expect(await t.db().getState(CLIENT, "acme/p", `k${i}`)).toBe(i);
    });
  });
}
