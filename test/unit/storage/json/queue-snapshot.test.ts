/**
 * The queue index snapshot: written at a clean close, trusted at the next open only when it can be
 * right, removed as soon as it is read.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { uuidv7 } from "../../../../src/core/ids";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json";
import { SNAPSHOT_FILE } from "../../../../src/storage/json/queue-snapshot";
import { request } from "../../../contract/builders";
import { createTempHome, type TempHome } from "../../../support/temp-home";

const T0 = "2024-05-01T12:00:00.000Z";

describe("queue index snapshot", () => {
  let home: TempHome;
  let db: Database;
  const snapshotFile = () => join(home.dataDir, SNAPSHOT_FILE);
  const queueDir = () => join(home.dataDir, "clients", "acme", "queue");
  const reopen = async (between: () => Promise<void> = async () => undefined) => {
    await db.close();
    await between();
    db = createJsonDatabase(home.dataDir);
    await db.open();
  };
  const seated: string[] = [];

  beforeEach(async () => {
    home = await createTempHome("databus-snapshot-");
    db = createJsonDatabase(home.dataDir);
    await db.open();
    await db.createClient("acme", "{}");
    seated.length = 0;
    for (let n = 0; n < 5; n++) {
      const r = request({ external_id: `x${n}`, source_system: "src" });
      await db.seat("acme", [r]);
      seated.push(r.passenger.id);
    }
    await db.updateStep("acme", seated[0]!, 0, { action: "succeed", at: T0 });
    await db.updateStep("acme", seated[0]!, 1, { action: "succeed", at: T0 });
  });
  afterEach(async () => {
    await db.close();
    await home.cleanup();
  });

  it("is written at a clean close, gives the same lists, counts and dedupe at the next open, and is then gone", async () => {
    const before = { counts: await db.countEntries("acme"), list: await db.listEntries("acme", {}, { offset: 0, limit: 10 }) };
    await reopen(async () => {
      const saved = JSON.parse(await readFile(snapshotFile(), "utf8"));
      expect(saved.version).toBe(1);
      expect(saved.clients.acme).toHaveLength(5);
    });
    expect(await Bun.file(snapshotFile()).exists()).toBe(false);
    expect(await db.countEntries("acme")).toEqual(before.counts);
    expect(await db.countEntries("acme")).toMatchObject({ complete: 1, pending: 4 });
    expect(await db.listEntries("acme", {}, { offset: 0, limit: 10 })).toEqual(before.list);
    expect((await db.listEntries("acme", { text: "X3" }, { offset: 0, limit: 10 })).total).toBe(1);
    const again = await db.seat("acme", [request({ external_id: "x2", source_system: "src" })]);
    expect(again.duplicates).toHaveLength(1);
  });

  it("stands in for reading the entry folders after a clean stop", async () => {
    // Proof that the folders were not read: a status changed by hand while stopped is not seen.
    await reopen(async () => {
      const file = join(queueDir(), seated[1]!, "status.json");
      const status = JSON.parse(await readFile(file, "utf8"));
      status.steps = status.steps.map((s: object) => ({ ...s, state: "done" }));
      await writeFile(file, JSON.stringify(status));
    });
    expect(await db.countEntries("acme")).toMatchObject({ complete: 1, pending: 4 });
  });

  it("is not trusted when the entry folders are not the ones it lists", async () => {
    const copy = uuidv7(Date.now() + 1000);
    await reopen(async () => {
      await cp(join(queueDir(), seated[1]!), join(queueDir(), copy), { recursive: true });
      const file = join(queueDir(), copy, "passenger.json");
      const p = JSON.parse(await readFile(file, "utf8"));
      await writeFile(file, JSON.stringify({ ...p, id: copy, external_id: "by-hand" }));
    });
    expect(await db.countEntries("acme")).toMatchObject({ complete: 1, pending: 5 });
    expect((await db.getEntry("acme", copy))?.passenger.external_id).toBe("by-hand");
  });

  it("is not trusted after an unclean stop (the journal had changes to replay)", async () => {
    await reopen(async () => {
      const file = join(queueDir(), seated[2]!, "status.json");
      const status = JSON.parse(await readFile(file, "utf8"));
      status.steps = status.steps.map((s: object) => ({ ...s, state: "done" }));
      status.completed_at = T0;
      // What a crash leaves: a change durable in the journal, not yet in the file.
      const record = { ops: [{ op: "write", path: `clients/acme/queue/${seated[2]}/status.json`, text: JSON.stringify(status) }] };
      await writeFile(join(home.dataDir, "journal.jsonl"), `${JSON.stringify(record)}\n`);
    });
    expect(await db.countEntries("acme")).toMatchObject({ complete: 2, pending: 3 });
    expect(await Bun.file(snapshotFile()).exists()).toBe(false);
  });

  it("is not trusted when it is cut short", async () => {
    await reopen(async () => {
      const text = await readFile(snapshotFile(), "utf8");
      await writeFile(snapshotFile(), text.slice(0, text.length / 2));
    });
    expect(await db.countEntries("acme")).toMatchObject({ complete: 1, pending: 4 });
  });
});
