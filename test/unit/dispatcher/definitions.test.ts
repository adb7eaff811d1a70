import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { ClientLoader, isResolved } from "../../../src/dispatcher/definitions";
import { PluginRegistry } from "../../../src/plugins/registry";
import { Passenger, Puller } from "../../../src/sdk/index";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

class Doc extends Passenger {}
class DocPuller extends Puller<Doc> {
  pull() {
    return [];
  }
}
const config = (frequency: string) => JSON.stringify({ passengers: [{ name: "t/doc", pullers: ["t/puller"], sync_frequency: frequency }] });

describe("ClientLoader", () => {
  let t: TempHome;
  let db: Database;
  let registry: PluginRegistry;
  beforeEach(async () => {
    t = await createTempHome("databus-loader-");
    db = createJsonDatabase(t.dataDir);
    await db.open();
    await db.createClient("acme", config("1m"));
    registry = new PluginRegistry();
    registry.set({ status: "loaded", name: "t/doc", kind: "passenger", file: null, cls: Doc });
  });
  afterEach(async () => {
    await db.close();
    await t.cleanup();
  });

  it("answers from memory while the config text and the plugins stay the same", async () => {
    registry.set({ status: "loaded", name: "t/puller", kind: "puller", file: null, cls: DocPuller });
    const loader = new ClientLoader(db, registry);
    const first = await loader.load("acme");
    expect(await loader.load("acme")).toBe(first);
  });

  it("parses again when the config text changed", async () => {
    registry.set({ status: "loaded", name: "t/puller", kind: "puller", file: null, cls: DocPuller });
    const loader = new ClientLoader(db, registry);
    await loader.load("acme");
    await db.writeConfig("acme", config("5m"));
    const load = await loader.load("acme");
    expect(load.ok && isResolved(load.definitions[0]!) && load.definitions[0].definition.sync_frequency_ms).toBe(300_000);
  });

  it("resolves again when a plugin appears, so a definition waiting for it comes back", async () => {
    const loader = new ClientLoader(db, registry);
    const before = await loader.load("acme");
    expect(before.ok && before.definitions[0] && isResolved(before.definitions[0])).toBe(false);
    registry.set({ status: "loaded", name: "t/puller", kind: "puller", file: null, cls: DocPuller });
    const after = await loader.load("acme");
    expect(after.ok && isResolved(after.definitions[0]!)).toBe(true);
  });

  it("reports a client that is gone", async () => {
    const loader = new ClientLoader(db, registry);
    await loader.load("acme");
    await db.deleteClient("acme");
    expect(await loader.load("acme")).toMatchObject({ ok: false, error: { code: "DBUS_CFG_CLIENT_NOT_FOUND" } });
  });
});
