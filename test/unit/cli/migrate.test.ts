import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { uuidv7 } from "../../../src/core/ids";
import { initialSteps } from "../../../src/core/queue-entry";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createSqliteDatabase } from "../../../src/storage/sqlite/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

const MAIN = join(import.meta.dir, "../../../src/main.ts");
const HASH = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

describe("databus migrate", () => {
  let t: TempHome;
  beforeEach(async () => {
    t = await createTempHome("databus-migrate-");
    const db = createJsonDatabase(t.dataDir);
    await db.open();
    for (const client of ["acme", "globex"]) {
      await db.createClient(client, JSON.stringify({ passengers: [{ name: "a/doc", pullers: ["a/p"] }], users: [{ username: "ann", role: "administrator", password_hash: HASH }] }));
      const at = "2026-01-01T00:00:00.000Z";
      const requests = Array.from({ length: 5 }, (_, i) => ({
        passenger: { id: uuidv7(Date.parse(at) + i), type: "a/doc", external_id: `doc-${i}`, source_system: "mail", pulled_at: at, puller: "a/p", payload: { i }, log_ids: [], attachments: [{ name: "note.txt", content: `note ${i}` }] },
        steps: initialSteps("a/p", [], ["a/push"], at),
      }));
      const { seated } = await db.seat(client, requests);
      await db.updateStep(client, seated[0]!.passenger.id, 1, { action: "fail", at, error: "down", nextAttemptAt: null });
      await db.createLog(client, { id: uuidv7(Date.parse(at)), origin: "run", at, title: "run a/doc", definition: "a/doc" });
    }
    await db.close();
  });
  afterEach(() => t.cleanup());

  it("copies every client to sqlite, checks the counts and leaves the source as it was", async () => {
    const configBefore = readFileSync(join(t.dataDir, "clients/acme/config.json"), "utf8");
    const entriesBefore = readdirSync(join(t.dataDir, "clients/acme/queue")).sort();
    const target = join(t.home, "copy.sqlite");
    const r = spawnSync(process.execPath, [MAIN, "migrate", "--home", t.home, "--to", `sqlite:${target}`], { encoding: "utf8" });
    expect(r.stdout).toContain("Copied client acme: 5 entries");
    expect(r.stdout).toContain("Copied 2 clients from json to sqlite; every count matches.");
    expect(r.status).toBe(0);
    expect(readFileSync(join(t.dataDir, "clients/acme/config.json"), "utf8")).toBe(configBefore);
    expect(readdirSync(join(t.dataDir, "clients/acme/queue")).sort()).toEqual(entriesBefore);
    const copy = createSqliteDatabase(target);
    await copy.open();
    expect(await copy.listClients()).toEqual(["acme", "globex"]);
    expect(await copy.countEntries("acme")).toEqual({ pending: 4, failed: 0, dead: 1, complete: 0 });
    const doc3 = (await copy.listEntries("acme", { text: "doc-3" }, { offset: 0, limit: 1 })).entries[0]!;
    expect((await copy.readAttachment("acme", doc3.passenger.id, "note.txt"))?.content).toBe("note 3");
    expect((await copy.listUsers("globex")).map((u) => u.password_hash)).toEqual([HASH]);
    await copy.close();
  });

  describe("when the target already holds one of the clients with entries", () => {
    it("stops with the import's error and says which client", async () => {
      const target = join(t.home, "copy.sqlite");
      expect(spawnSync(process.execPath, [MAIN, "migrate", "--home", t.home, "--to", `sqlite:${target}`]).status).toBe(0);
      const again = spawnSync(process.execPath, [MAIN, "migrate", "--home", t.home, "--to", `sqlite:${target}`], { encoding: "utf8" });
      expect(again.status).toBe(1);
      expect(again.stderr).toContain("DBUS_EXP_TARGET_NOT_EMPTY");
      expect(again.stderr).toContain("acme");
    });
  });

  describe("when an engine option is incomplete", () => {
    it("says how to write it", () => {
      const r = spawnSync(process.execPath, [MAIN, "migrate", "--home", t.home, "--to", "sqlite"], { encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("--to needs an engine and where its data is");
    });
  });
});
