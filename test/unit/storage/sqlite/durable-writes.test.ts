/**
 * Every write of the sqlite engine is acknowledged only once its commit is on the disk: with the
 * WAL's fdatasync held back (wal-sync.ts), each write method's promise stays pending, and it resolves
 * once the sync ends. The lists below must name every method of the Database contract, so a new
 * method cannot be added without saying whether it writes.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidv7 } from "../../../../src/core/ids";
import { nextTurn } from "../../../../src/core/limited";
import { initialSteps } from "../../../../src/core/queue-entry";
import { Database } from "../../../../src/storage/database";
import { createSqliteDatabase } from "../../../../src/storage/sqlite";

const T0 = "2024-05-01T10:00:00.000Z";
const CONFIG = '{ "passengers": [] }';
const entryIds = Array.from({ length: 8 }, (_, i) => uuidv7(Date.parse(T0) + i));
const passenger = (id: string, n: number) => ({
  id,
  type: "acme/def",
  external_id: `e${n}`,
  source_system: "mail",
  pulled_at: T0,
  puller: "acme/p",
  payload: { n },
  log_ids: [],
  attachments: [],
});
const steps = () => initialSteps("acme/p", ["acme/stamp"], ["acme/push"], T0, true);
const user = { username: "ops", role: "operator" as const, password_hash: "$argon2id$v=19$m=65536,t=2,p=1$abc$def" };

/** Each write, on state the fixture made (a client acme with entries and a log, a lease to renew). */
const WRITES: Record<string, (db: Database) => Promise<unknown>> = {
  createClient: (db) => db.createClient("beta", CONFIG),
  deleteClient: (db) => db.deleteClient("beta"),
  writeConfig: (db) => db.writeConfig("acme", CONFIG),
  writeClientFile: (db) => db.writeClientFile("acme", "map.csv", "a,b"),
  listUsers: (db) => db.listUsers("acme"), // hashes any plain password it finds: a write
  putUser: (db) => db.putUser("acme", user),
  deleteUser: (db) => db.deleteUser("acme", "ops"),
  seat: (db) => db.seat("acme", [{ passenger: passenger(uuidv7(Date.parse(T0) + 100), 100), steps: steps() }]),
  updateStep: (db) => db.updateStep("acme", entryIds[0]!, 1, { action: "succeed", at: T0 }),
  updateSteps: (db) => db.updateSteps("acme", [{ id: entryIds[1]!, stepIndex: 1, change: { action: "succeed", at: T0 } }]),
  updatePassenger: (db) => db.updatePassenger("acme", entryIds[2]!, { n: 2, changed: true }, []),
  linkLog: (db) => db.linkLog("acme", entryIds[3]!, "log-1"),
  deleteEntry: (db) => db.deleteEntry("acme", entryIds[4]!),
  purgeCompleted: (db) => db.purgeCompleted("acme", "acme/def", "2100-01-01T00:00:00.000Z"),
  createLog: (db) => db.createLog("acme", { id: "log-2", origin: "console", at: T0, title: "t", definition: null }),
  appendLog: (db) => db.appendLog("acme", "log-1", [{ at: T0, level: "info", source: "console", message: "m" }]),
  finishLog: (db) => db.finishLog("acme", "log-1", T0, { pulled: 0, seated: 0, delivered: 0, failed: 0 } as never),
  purgeLogs: (db) => db.purgeLogs("acme", "2000-01-01T00:00:00.000Z"),
  setState: (db) => db.setState("acme", "acme/p", "cursor", 42),
  claimRun: (db) => db.claimRun("acme", "acme/other", "i1", T0, 60_000),
  renewRun: (db) => db.renewRun("acme", "acme/def", lease, T0, 60_000),
  releaseRun: (db) => db.releaseRun("acme", "acme/def", lease),
};
/** Reads: they answer without waiting for a sync (listDue waits for one: below). */
const READS = [
  "listClients", "readConfig", "listConfigBackups", "readConfigBackup", "listClientFiles", "readClientFile", "getEntry",
  "getPassenger", "readAttachment", "listEntries", "countEntries", "readLog", "listLogs", "getState",
];
const NOT_DATA = ["constructor", "open", "close", "status", "engine", "sharedByInstances", "schemaMigrations", "listDue"];

let dir: string;
let db: Database;
let lease: string;
const held: Array<() => void> = [];
let holding = false;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "databus-sqlite-durable-"));
  // While `holding`, a sync ends only when the test says so; otherwise at once (the real one would be slower).
  const datasync = () => (holding ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve());
  db = createSqliteDatabase(join(dir, "databus.sqlite"), { datasync });
  await db.open();
  await db.createClient("acme", CONFIG);
  await db.seat("acme", entryIds.map((id, i) => ({ passenger: passenger(id, i), steps: steps() })));
  await db.createLog("acme", { id: "log-1", origin: "console", at: T0, title: "t", definition: "acme/def" });
  lease = (await db.claimRun("acme", "acme/def", "i1", T0, 60_000))!;
});
afterAll(async () => {
  holding = false;
  held.splice(0).forEach((end) => end());
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const turns = async (n = 10) => {
  for (let i = 0; i < n; i++) await nextTurn();
};

describe("sqlite engine, durability of writes", () => {
  it("names every method of the Database contract as a write, a read or neither", () => {
    // The contract's methods, and the engine's own fields (its methods are arrow functions).
    const names = new Set([...Object.getOwnPropertyNames(Database.prototype), ...Object.getOwnPropertyNames(db)]);
    const known = new Set([...Object.keys(WRITES), ...READS, ...NOT_DATA]);
    const own = [...names].filter((n) => typeof (db as unknown as Record<string, unknown>)[n] === "function" || NOT_DATA.includes(n));
    expect(own.filter((n) => !known.has(n))).toEqual([]);
  });

  for (const [name, write] of Object.entries(WRITES)) {
    it(`${name} is acknowledged only after the WAL's sync has ended`, async () => {
      holding = true;
      let done = false;
      const result = write(db).then(
        (v) => ((done = true), v),
        (e: unknown) => {
          done = true;
          throw e;
        },
      );
      await turns();
      expect(done).toBe(false);
      expect(held.length).toBeGreaterThan(0);
      holding = false;
      held.splice(0).forEach((end) => end());
      await result;
      expect(done).toBe(true);
    });
  }

  it("listDue makes what it lists durable first (another instance's commits among them)", async () => {
    holding = true;
    let listed: string[] | undefined;
    const due = db.listDue("acme", "acme/def", "2100-01-01T00:00:00.000Z", 10).then((ids) => (listed = ids));
    await turns();
    expect(listed).toBeUndefined();
    holding = false;
    held.splice(0).forEach((end) => end());
    await due;
    expect(listed!.length).toBeGreaterThan(0);
  });

  it("reads answer while a sync is held", async () => {
    holding = true;
    void db.setState("acme", "acme/p", "cursor", 7);
    await turns();
    expect(held.length).toBeGreaterThan(0);
    expect(await db.getState("acme", "acme/p", "cursor")).toBe(7);
    expect((await db.countEntries("acme")).pending).toBeGreaterThanOrEqual(0);
    holding = false;
    held.splice(0).forEach((end) => end());
  });
});
