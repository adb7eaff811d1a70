/**
 * The queue index snapshot: saved whenever journals are deleted (checkpoints, and an open that
 * replayed queue changes or rebuilt), so the snapshot plus the journals on disk tell every change; trusted at open
 * with the entries the replayed journals touched read again, and only when the folders match.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { cp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { uuidv7 } from "../../../../src/core/ids";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json";
import { ClientIndex, type IndexItem } from "../../../../src/storage/json/memory-index";
import { readSnapshot, SNAPSHOT_FILE, SNAPSHOT_SLICE, snapshotChunks } from "../../../../src/storage/json/queue-snapshot";
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

  it("is written at a clean close, gives the same lists, counts and dedupe at the next open, and stays", async () => {
    const before = { counts: await db.countEntries("acme"), list: await db.listEntries("acme", {}, { offset: 0, limit: 10 }) };
    await reopen(async () => {
      const saved = JSON.parse(await readFile(snapshotFile(), "utf8"));
      expect(saved.version).toBe(1);
      expect(saved.clients.acme).toHaveLength(5);
    });
    expect(await Bun.file(snapshotFile()).exists()).toBe(true);
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

  it("after an unclean stop, reads again only the entries the replayed journal touched", async () => {
    await reopen(async () => {
      const done = async (id: string) => {
        const status = JSON.parse(await readFile(join(queueDir(), id, "status.json"), "utf8"));
        status.steps = status.steps.map((s: object) => ({ ...s, state: "done" }));
        status.completed_at = T0;
        return status;
      };
      // What a crash leaves: a change durable in the journal, not yet in the file.
      const record = { ops: [{ op: "write", path: `clients/acme/queue/${seated[2]}/status.json`, text: JSON.stringify(await done(seated[2]!)) }] };
      await writeFile(join(home.dataDir, "journal.jsonl"), `${JSON.stringify(record)}\n`);
      // Proof that the other folders were not read: a status changed by hand, in no journal, is not seen.
      await writeFile(join(queueDir(), seated[3]!, "status.json"), JSON.stringify(await done(seated[3]!)));
    });
    expect(await db.countEntries("acme")).toMatchObject({ complete: 2, pending: 3 });
    expect((await db.getEntry("acme", seated[2]!))?.completed_at).toBe(T0);
    // Saved again before the replayed journal went: it holds the replayed change.
    const saved = JSON.parse(await readFile(snapshotFile(), "utf8"));
    expect(saved.clients.acme.find((row: string[]) => row[0] === seated[2])[6]).toBe("complete");
  });

  it("after an unclean stop whose journal changed no queue entry, is trusted and not saved again", async () => {
    let before = 0;
    await reopen(async () => {
      before = (await stat(snapshotFile())).ino;
      const record = { ops: [{ op: "write", path: "clients/acme/state/plugin.json", text: "{}" }] };
      await writeFile(join(home.dataDir, "journal.jsonl"), `${JSON.stringify(record)}\n`);
      // Proof that the folders were not read: a status changed by hand, in no journal, is not seen.
      const file = join(queueDir(), seated[1]!, "status.json");
      const status = JSON.parse(await readFile(file, "utf8"));
      await writeFile(file, JSON.stringify({ ...status, steps: status.steps.map((s: object) => ({ ...s, state: "done" })) }));
    });
    expect(await db.countEntries("acme")).toMatchObject({ complete: 1, pending: 4 });
    expect(await readFile(join(home.dataDir, "clients", "acme", "state", "plugin.json"), "utf8")).toBe("{}");
    // A save replaces the file (temp + rename): the same inode means it was not written again.
    expect((await stat(snapshotFile())).ino).toBe(before);
  });

  it("after an unclean stop, drops an entry the replayed journal removed", async () => {
    await reopen(async () => {
      const record = { ops: [{ op: "remove", path: `clients/acme/queue/${seated[4]}` }] };
      await writeFile(join(home.dataDir, "journal.jsonl"), `${JSON.stringify(record)}\n`);
    });
    expect(await db.countEntries("acme")).toMatchObject({ complete: 1, pending: 3 });
    expect(await db.getEntry("acme", seated[4]!)).toBeUndefined();
  });

  it("is saved at the checkpoint that deletes a sealed journal, so a crash after it needs no rebuild", async () => {
    await db.updateStep("acme", seated[1]!, 0, { action: "succeed", at: T0 });
    await db.updateStep("acme", seated[1]!, 1, { action: "succeed", at: T0 });
    await (db as unknown as { journal: { checkpoint(): Promise<void> } }).journal.checkpoint();
    const saved = JSON.parse(await readFile(snapshotFile(), "utf8"));
    expect(saved.clients.acme.filter((row: string[]) => row[6] === "complete")).toHaveLength(2);
  });

  it("is not saved again by a checkpoint that changed no queue entry (logs alone)", async () => {
    const checkpoint = () => (db as unknown as { journal: { checkpoint(): Promise<void> } }).journal.checkpoint();
    await checkpoint();
    await rm(snapshotFile());
    await db.createLog("acme", { id: uuidv7(Date.now()), origin: "run", at: T0, title: "run acme/x", definition: null });
    await checkpoint();
    expect(await Bun.file(snapshotFile()).exists()).toBe(false);
    await db.updateStep("acme", seated[1]!, 0, { action: "succeed", at: T0 });
    await checkpoint();
    expect(await Bun.file(snapshotFile()).exists()).toBe(true);
  });

  it("is not trusted when it is cut short", async () => {
    await reopen(async () => {
      const text = await readFile(snapshotFile(), "utf8");
      await writeFile(snapshotFile(), text.slice(0, text.length / 2));
    });
    expect(await db.countEntries("acme")).toMatchObject({ complete: 1, pending: 4 });
  });
});

describe("queue index snapshot, made in slices", () => {
  const item = (n: number, over: Partial<IndexItem> = {}): IndexItem => ({
    id: `id-${String(n).padStart(6, "0")}`, definition: "orders", key: `erp\u0000ext "${n}"`, search: `ext "${n}"\nerp`,
    seated_at: new Date(Date.parse(T0) + n).toISOString(), completed_at: null, state: "pending", due: "", ...over,
  });
  const indexOf = (items: IndexItem[]) => {
    const index = new ClientIndex();
    index.addAll(items);
    return index;
  };

  it("lets the event loop turn between slices, and the slices make the same snapshot as one piece", async () => {
    const big = indexOf(Array.from({ length: 2 * SNAPSHOT_SLICE + 1 }, (_, n) => item(n)));
    const small = indexOf([item(1, { state: "complete", due: null, completed_at: "2024-05-01T13:00:00.000Z" })]);
    const empty = new ClientIndex();
    let pauses = 0;
    const chunks = await snapshotChunks(new Map([["acme", big], ["beta", small], ["gamma", empty]]), async () => void pauses++);
    expect(pauses).toBe(2); // after the first 5,000 entries and after the next
    const text = Buffer.concat(chunks).toString("utf8");
    const parsed = JSON.parse(text);
    expect(parsed.version).toBe(1);
    expect(parsed.clients.acme).toHaveLength(2 * SNAPSHOT_SLICE + 1);
    expect(parsed.clients.acme[SNAPSHOT_SLICE]).toEqual(["id-005000", "orders", "erp", 'ext "5000"', item(5000).seated_at, null, "pending", ""]);
    expect(parsed.clients.beta).toEqual([["id-000001", "orders", "erp", 'ext "1"', item(1).seated_at, "2024-05-01T13:00:00.000Z", "complete", null]]);
    expect(parsed.clients.gamma).toEqual([]);
  });

  it("lists the entries of when it began although the queue changes between slices, and reads back whole", async () => {
    const index = indexOf(Array.from({ length: SNAPSHOT_SLICE + 10 }, (_, n) => item(n)));
    const chunks = await snapshotChunks(new Map([["acme", index]]), async () => {
      index.remove("id-000000");
      index.add(item(999_999));
    });
    const dir = await createTempHome("databus-snapshot-slices-");
    try {
      await writeFile(join(dir.home, SNAPSHOT_FILE), Buffer.concat(chunks));
      const back = (await readSnapshot(dir.home))!.get("acme")!;
      expect(back.map((i) => i.id)).toEqual(Array.from({ length: SNAPSHOT_SLICE + 10 }, (_, n) => item(n).id));
      expect(back[3]).toEqual(item(3));
    } finally {
      await dir.cleanup();
    }
  });
});
