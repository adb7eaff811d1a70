import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { uuidv7 } from "../../../src/core/ids";
import { initialSteps } from "../../../src/core/queue-entry";
import { createJsonDatabase } from "../../../src/storage/json/index";
import type { Database } from "../../../src/storage/database";
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

  it("moves every client json → sqlite → json with every field as it was", async () => {
    const sqlite = join(t.home, "copy.sqlite");
    const back = join(t.home, "back", "data");
    // More than the seeding above: a client file, a config backup, a finished log with entries, a binary attachment.
    const src = createJsonDatabase(t.dataDir);
    await src.open();
    await src.writeClientFile("acme", "rates.csv", "a;b\n1;2\n");
    await src.writeConfig("acme", JSON.stringify({ passengers: [{ name: "a/doc", pullers: ["a/p"] }], users: [{ username: "ann", role: "administrator", password_hash: HASH }], log_life_span: 9 }));
    const logId = uuidv7(Date.parse("2026-01-02T00:00:00.000Z"));
    await src.createLog("globex", { id: logId, origin: "run", at: "2026-01-02T00:00:00.000Z", title: "run a/doc", definition: "a/doc", instance: "host-a:1" });
    await src.appendLog("globex", logId, [{ at: "2026-01-02T00:00:01.000Z", level: "warning", source: "a/p", message: "slow <source>" }]);
    await src.finishLog("globex", logId, "2026-01-02T00:00:02.000Z", { pulled: 1, seated: 1, delivered: 0, failed: 1 });
    const at = "2026-01-03T00:00:00.000Z";
    await src.seat("globex", [{
      passenger: { id: uuidv7(Date.parse(at)), type: "a/doc", external_id: "bin", source_system: "mail", pulled_at: at, puller: "a/p", payload: null, log_ids: [logId], attachments: [{ name: "x.bin", content: new Uint8Array([0, 255, 7]), media_type: "application/octet-stream" }] },
      steps: initialSteps("a/p", [], ["a/push"], at),
    }]);
    const before = await dumpStore(src);
    await src.close();

    expect(spawnSync(process.execPath, [MAIN, "migrate", "--home", t.home, "--to", `sqlite:${sqlite}`], { encoding: "utf8" }).status).toBe(0);
    const r = spawnSync(process.execPath, [MAIN, "migrate", "--home", t.home, "--from", `sqlite:${sqlite}`, "--to", `json:${back}`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);

    const copy = createJsonDatabase(back);
    await copy.open();
    const after = await dumpStore(copy);
    await copy.close();
    expect(Object.keys(after)).toEqual(["acme", "globex"]);
    for (const client of Object.keys(before)) {
      const [b, a] = [before[client]!, after[client]!];
      for (const field of Object.keys(b) as Array<keyof typeof b>) expect({ client, field, value: a[field] }).toEqual({ client, field, value: b[field] });
    }
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

/** Everything the contract can read of every client, in a stable order, for a field-by-field comparison. */
async function dumpStore(db: Database) {
  const out: Record<string, Awaited<ReturnType<typeof dumpClient>>> = {};
  for (const client of await db.listClients()) out[client] = await dumpClient(db, client);
  return out;
}

async function dumpClient(db: Database, client: string) {
  const { entries } = await db.listEntries(client, {}, { offset: 0, limit: 1000 }, "seated_at");
  const queue = [];
  for (const e of entries) {
    const p = await db.getPassenger(client, e.passenger.id);
    const attachments = p.attachments.map((a) => ({ ...a, content: typeof a.content === "string" ? a.content : [...a.content] }));
    queue.push({ entry: { ...e, attachments: e.attachments }, passenger: { ...p, attachments } });
  }
  const { logs } = await db.listLogs(client, {}, { offset: 0, limit: 1000 });
  const files: Record<string, string | undefined> = {};
  for (const name of await db.listClientFiles(client)) files[name] = await db.readClientFile(client, name);
  // Backups keep their texts and order; the target dates them when it recreates them (transfer/format.ts).
  const backups = [];
  for (const b of await db.listConfigBackups(client)) backups.push(await db.readConfigBackup(client, b.id));
  return {
    config: await db.readConfig(client),
    users: await db.listUsers(client),
    files,
    backups,
    counts: await db.countEntries(client),
    queue,
    logs: await Promise.all(logs.map((l) => db.readLog(client, l.id))),
  };
}
