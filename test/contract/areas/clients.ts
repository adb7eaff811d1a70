/** Contract area: clients and configs (raw text kept, backups) and external config files. */
import { expect } from "bun:test";
import type { ContractContext } from "../database.contract";
import { CLIENT, OTHER, clientConfig, expectCode, request } from "../builders";

export function clientsAndConfigs(t: ContractContext): void {
  t.area("clients and configs", () => {
    t.it("lists clients sorted", async () => {
      await t.db().createClient("zeta", clientConfig());
      await t.db().createClient("beta", clientConfig());
      expect(await t.db().listClients()).toEqual(["acme", "beta", "zeta"]);
    });

    t.it("refuses to create a client twice with DBUS_CFG_CLIENT_EXISTS", async () => {
      await expectCode(t.db().createClient(CLIENT, clientConfig()), "DBUS_CFG_CLIENT_EXISTS");
    });

    t.it("keeps the config text exactly as written", async () => {
      expect(await t.db().readConfig(CLIENT)).toBe(clientConfig());
      const odd = '{\n\t"log_life_span" :7 ,"passengers":[]}';
      await t.db().writeConfig(CLIENT, odd);
      expect(await t.db().readConfig(CLIENT)).toBe(odd);
    });

    t.it("stores config text that is not valid JSON as it is (validation is the caller's)", async () => {
      await t.db().writeConfig(CLIENT, '{ "log_life_span": ');
      expect(await t.db().readConfig(CLIENT)).toBe('{ "log_life_span": ');
    });

    t.it("raises DBUS_CFG_CLIENT_NOT_FOUND for an unknown client", async () => {
      await expectCode(t.db().readConfig("nobody"), "DBUS_CFG_CLIENT_NOT_FOUND");
      await expectCode(t.db().writeConfig("nobody", "{}"), "DBUS_CFG_CLIENT_NOT_FOUND");
      await expectCode(t.db().seat("nobody", [request()]), "DBUS_CFG_CLIENT_NOT_FOUND");
    });

    t.it("tells an unknown client from an unknown entry when reading one", async () => {
      const { seated } = await t.db().seat(CLIENT, [request()]);
      const id = seated[0]!.passenger.id;
      await expectCode(t.db().getEntry("nobody", id), "DBUS_CFG_CLIENT_NOT_FOUND");
      await expectCode(t.db().getPassenger("nobody", id), "DBUS_CFG_CLIENT_NOT_FOUND");
      await expectCode(t.db().getEntry("../acme", id), "DBUS_CFG_BAD_CLIENT_ID");
      // Another client's entry is not this client's.
      await t.db().createClient(OTHER, clientConfig());
      expect(await t.db().getEntry(OTHER, id)).toBeUndefined();
      await expectCode(t.db().getPassenger(OTHER, id), "DBUS_Q_ENTRY_NOT_FOUND");
    });

    t.it("keeps the previous text as a backup on every write, newest first", async () => {
      const v1 = clientConfig();
      const v2 = clientConfig({ note: "two" });
      await t.db().writeConfig(CLIENT, v2);
      await t.db().writeConfig(CLIENT, clientConfig({ note: "three" }));
      const backups = await t.db().listConfigBackups(CLIENT);
      expect(backups).toHaveLength(2);
      expect(await t.db().readConfigBackup(CLIENT, backups[0]!.id)).toBe(v2);
      expect(await t.db().readConfigBackup(CLIENT, backups[1]!.id)).toBe(v1);
      expect(backups[0]!.at >= backups[1]!.at).toBe(true);
      expect(Number.isNaN(Date.parse(backups[0]!.at))).toBe(false);
    });

    t.it("deletes a client with its queue and leaves other clients alone", async () => {
      await t.db().createClient(OTHER, clientConfig());
      await t.db().seat(CLIENT, [request()]);
      const kept = await t.db().seat(OTHER, [request()]);
      await t.db().deleteClient(CLIENT);
      expect(await t.db().listClients()).toEqual([OTHER]);
      await expectCode(t.db().readConfig(CLIENT), "DBUS_CFG_CLIENT_NOT_FOUND");
      expect(await t.db().getEntry(OTHER, kept.seated[0]!.passenger.id)).toBeDefined();
    });

    t.it("starts a re-created client empty", async () => {
      await t.db().seat(CLIENT, [request()]);
      await t.db().deleteClient(CLIENT);
      await t.db().createClient(CLIENT, clientConfig());
      expect((await t.db().listEntries(CLIENT, {}, { offset: 0, limit: 10 })).total).toBe(0);
      expect(await t.db().listConfigBackups(CLIENT)).toEqual([]);
    });

    t.it("writes, lists and reads external config files", async () => {
      expect(await t.db().listClientFiles(CLIENT)).toEqual([]);
      expect(await t.db().readClientFile(CLIENT, "mapping.csv")).toBeUndefined();
      await t.db().writeClientFile(CLIENT, "mapping.csv", "a;b\n1;2\n");
      await t.db().writeClientFile(CLIENT, "accounts.json", "{}");
      await t.db().writeClientFile(CLIENT, "mapping.csv", "a;b\n3;4\n");
      expect(await t.db().listClientFiles(CLIENT)).toEqual(["accounts.json", "mapping.csv"]);
      expect(await t.db().readClientFile(CLIENT, "mapping.csv")).toBe("a;b\n3;4\n");
    });
  });
}
