import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { appendFile, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DatabusError } from "../../../../src/core/errors";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json";
import { Journal, type JournalOptions } from "../../../../src/storage/json/journal";
import { applyRecord, contentFields, type JournalRecord } from "../../../../src/storage/json/journal-ops";
import { request } from "../../../contract/builders";
import { createTempHome, type TempHome } from "../../../support/temp-home";

const T0 = "2024-05-01T12:00:00.000Z";

/** A sync that counts calls and, while `held`, waits until released. */
function countingSync() {
  let release: () => void = () => undefined;
  let gate: Promise<void> | undefined;
  const s = {
    calls: 0,
    hold() {
      gate = new Promise<void>((r) => (release = r));
    },
    release() {
      gate = undefined;
      release();
    },
    sync: async (fh: { sync(): Promise<void> }) => {
      s.calls++;
      if (gate) await gate;
      await fh.sync();
    },
  };
  return s;
}

const seatRequest = (externalId: string) => request({ external_id: externalId });

describe("json journal", () => {
  let home: TempHome;
  const journals: Journal[] = [];
  const open = async (options: Partial<JournalOptions> = {}) => {
    const j = new Journal(home.dataDir, join(home.dataDir, "journal.jsonl"), options);
    journals.push(j);
    await j.open();
    return j;
  };
  beforeEach(async () => {
    home = await createTempHome("databus-journal-");
    await mkdir(home.dataDir, { recursive: true });
  });
  afterEach(async () => {
    for (const j of journals.splice(0)) await j.close();
    await home.cleanup();
  });

  describe("when many changes are committed at once", () => {
    it("makes them durable with one fsync and writes every file", async () => {
      const s = countingSync();
      const j = await open({ sync: s.sync });
      s.calls = 0;
      await Promise.all(Array.from({ length: 20 }, (_, n) => j.commit([{ op: "write", path: join(home.dataDir, `f${n}.json`), text: `${n}` }])));
      expect(s.calls).toBe(1);
      await j.writeFiles();
      expect(await readFile(join(home.dataDir, "f7.json"), "utf8")).toBe("7");
    });

    it("acknowledges no change before its fsync returns", async () => {
      const s = countingSync();
      const j = await open({ sync: s.sync });
      s.hold();
      let acknowledged = false;
      const done = j.commit([{ op: "write", path: join(home.dataDir, "a.json"), text: "1" }]).then(() => (acknowledged = true));
      while (s.calls === 0) await Bun.sleep(1);
      await Bun.sleep(10);
      expect(acknowledged).toBe(false);
      expect(await Bun.file(join(home.dataDir, "a.json")).exists()).toBe(false);
      s.release();
      await done;
      expect(acknowledged).toBe(true);
    });
  });

  describe("when a batch mixes text of every UTF-8 width with bytes", () => {
    it("appends each as one line that reads back exactly, and writes the files from it", async () => {
      const j = await open({ materialiseMs: 60_000 });
      const texts = ["plain", "café", "漢字", "emoji 😀", "mixed é漢😀 end"];
      const bytes = Uint8Array.from([0, 255, 10, 13, 34, 92]);
      await Promise.all([
        ...texts.map((text, n) => j.commit([{ op: "write", path: join(home.dataDir, `t${n}.txt`), text }])),
        j.commit([{ op: "write", path: join(home.dataDir, "b.bin"), ...contentFields(bytes) }]),
      ]);
      const lines = (await readFile(join(home.dataDir, "journal.jsonl"), "utf8")).split("\n");
      expect(lines.pop()).toBe("");
      const records = lines.map((l) => JSON.parse(l) as { ops: Array<{ op: string; path: string; text?: string; base64?: string }> });
      expect(records.slice(0, texts.length).map((r) => r.ops[0]?.text)).toEqual(texts);
      expect(records.at(-1)?.ops[0]).toEqual({ op: "write", path: "b.bin", base64: Buffer.from(bytes).toString("base64") });
      await j.writeFiles();
      expect(await readFile(join(home.dataDir, "t4.txt"), "utf8")).toBe(texts[4]!);
      expect([...(await readFile(join(home.dataDir, "b.bin")))]).toEqual([...bytes]);
    });
  });

  describe("when a change is larger than a batch may be", () => {
    it("appends it whole, and the smaller batches around it as before", async () => {
      const j = await open({ batchBytes: 64, materialiseMs: 60_000 });
      const texts = ["small é", "x".repeat(1000) + "漢", "after 😀"];
      for (const [n, text] of texts.entries()) await j.commit([{ op: "write", path: join(home.dataDir, `t${n}.txt`), text }]);
      const lines = (await readFile(join(home.dataDir, "journal.jsonl"), "utf8")).split("\n");
      expect(lines.pop()).toBe("");
      expect(lines.map((l) => (JSON.parse(l) as { ops: Array<{ text: string }> }).ops[0]?.text)).toEqual(texts);
    });
  });

  describe("when several changes are committed in one call", () => {
    it("appends one record each, makes them durable with one fsync, and lets readers see each", async () => {
      const s = countingSync();
      const j = await open({ sync: s.sync });
      s.calls = 0;
      const path = (n: number) => join(home.dataDir, `c${n}.json`);
      await j.commitAll([0, 1, 2].map((n) => [{ op: "write" as const, path: path(n), json: { n } }]));
      expect(s.calls).toBe(1);
      const lines = (await readFile(join(home.dataDir, "journal.jsonl"), "utf8")).trim().split("\n");
      expect(lines.map((l) => JSON.parse(l))).toEqual([0, 1, 2].map((n) => ({ ops: [{ op: "write", path: `c${n}.json`, json: { n } }] })));
      expect(await j.readJson(path(1))).toEqual({ n: 1 });
      await j.writeFiles();
      // A json op is written as indented JSON, for the people who read these files.
      expect(await readFile(path(2), "utf8")).toBe('{\n  "n": 2\n}\n');
    });

    it("tells each change whether it is stored when their batches fare differently", async () => {
      let syncs = 0;
      // Each record is its own batch here; the second batch's fsync fails as on a full disk.
      const j = await open({ batchBytes: 1, sync: async (fh) => (++syncs === 2 ? Promise.reject(Object.assign(new Error("no space"), { code: "ENOSPC" })) : fh.sync()) });
      syncs = 0;
      const path = (n: number) => join(home.dataDir, `d${n}.json`);
      const outcomes = await Promise.allSettled(j.commitEach([0, 1].map((n) => [{ op: "write" as const, path: path(n), json: { n } }])));
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected"]);
      expect((outcomes[1] as PromiseRejectedResult).reason.code).toBe("DBUS_STO_DISK_FULL");
      expect(await j.readJson(path(0))).toEqual({ n: 0 });
      expect(await j.readJson(path(1))).toBeUndefined();
    });

    it("appends none of them when one points outside the data folder", async () => {
      const j = await open();
      const inside = { op: "write" as const, path: join(home.dataDir, "ok.json"), text: "1" };
      const outside = { op: "write" as const, path: join(home.dataDir, "..", "evil.json"), text: "2" };
      await expect(j.commitAll([[inside], [outside]])).rejects.toMatchObject({ code: "DBUS_STO_CORRUPT_FILE" });
      expect(await stat(join(home.dataDir, "journal.jsonl")).then((x) => x.size)).toBe(0);
      expect(j.peek(join(home.dataDir, "ok.json"))).toBeUndefined();
    });

    it("gives each reader of a pending json value its own copy", async () => {
      const j = await open();
      const path = join(home.dataDir, "v.json");
      await j.commit([{ op: "write", path, json: { list: [1] } }]);
      const first = await j.readJson<{ list: number[] }>(path);
      first!.list.push(2);
      expect(await j.readJson(path)).toEqual({ list: [1] });
      await j.writeFiles();
      expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ list: [1] });
    });
  });

  describe("when the journal cannot be synced", () => {
    it("refuses the batch with DBUS_STO_DISK_FULL, writes no file and keeps the journal clean", async () => {
      let failing = true;
      const j = await open({
        sync: async (fh) => {
          if (failing) throw Object.assign(new Error("no space"), { code: "ENOSPC" });
          await fh.sync();
        },
      });
      const err = (await j.commit([{ op: "write", path: join(home.dataDir, "a.json"), text: "1" }]).catch((e) => e)) as DatabusError;
      expect(err.code).toBe("DBUS_STO_DISK_FULL");
      expect(await Bun.file(join(home.dataDir, "a.json")).exists()).toBe(false);
      expect((await stat(j.path)).size).toBe(0);
      failing = false;
      await j.commit([{ op: "write", path: join(home.dataDir, "b.json"), text: "2" }]);
      await j.writeFiles();
      expect(await readFile(join(home.dataDir, "b.json"), "utf8")).toBe("2");
    });
  });

  describe("when a checkpoint runs", () => {
    it("makes the written files durable and truncates the journal", async () => {
      const synced: string[][] = [];
      const j = await open({ syncFiles: async (_dir, dirty) => void synced.push([...dirty]) });
      await j.commit([{ op: "write", path: join(home.dataDir, "a.json"), text: "1" }]);
      expect((await stat(j.path)).size).toBeGreaterThan(0);
      await j.checkpoint();
      expect((await stat(j.path)).size).toBe(0);
      expect(synced.at(-1)).toContain(join(home.dataDir, "a.json"));
      expect(await readFile(join(home.dataDir, "a.json"), "utf8")).toBe("1");
    });
  });
});

/** Every file under dir (relative path → content), without journals and the writer's spare temps. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const rel = full.slice(dir.length + 1);
    if (entry.name.startsWith(".tmp-") || /^journal.*\.jsonl$/.test(rel)) continue;
    out[rel] = (await readFile(full)).toString("base64");
  }
  return out;
}

/**
 * What a busy store's journal holds: entries seated (a folder with two files, one with an
 * attachment), their status rewritten, most removed again; a state file rewritten; and changes of
 * a client deleted before the crash (skipped). Paths relative to data/, as the journal stores them.
 */
function busyJournal(): object[] {
  const records: object[] = [];
  for (let n = 0; n < 60; n++) {
    const entry = `clients/acme/queue/e${n}`;
    const files = [
      { name: "passenger.json", text: JSON.stringify({ n }) },
      { name: "status.json", text: JSON.stringify({ step: 0 }) },
      ...(n % 7 === 0 ? [{ name: "attachments/a.bin", base64: Buffer.from([n, 0, 255]).toString("base64") }] : []),
    ];
    records.push({ ops: [{ op: "folder", path: entry, files }] });
    for (let step = 1; step <= 3; step++) records.push({ ops: [{ op: "write", path: `${entry}/status.json`, text: JSON.stringify({ step }) }] });
    if (n % 3 !== 0) records.push({ ops: [{ op: "remove", path: entry }] });
    records.push({ ops: [{ op: "write", path: "clients/acme/state/p.json", text: JSON.stringify({ cursor: n }) }] });
    if (n % 10 === 0) records.push({ ops: [{ op: "write", path: `clients/gone/queue/g${n}/status.json`, text: "{}" }] });
  }
  return records;
}

describe("json journal replay", () => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-journal-replay-");
  });
  afterEach(() => home.cleanup());

  for (const [label, options] of [
    ["with the default drains", {}],
    ["while the files fall behind (drains of 200 bytes: the replay waits for room)", { materialiseBytes: 200 }],
  ] as [string, Partial<JournalOptions>][]) {
    it(`leaves the files as applying each change in turn does, ${label}`, async () => {
      const replayed = join(home.dataDir, "replayed");
      const applied = join(home.dataDir, "applied");
      for (const dir of [replayed, applied]) {
        await mkdir(join(dir, "clients", "acme"), { recursive: true });
        await writeFile(join(dir, "clients", "acme", "config.json"), "{}");
      }
      const records = busyJournal();
      // The reference: each record applied to its files in order, as a replay did before session 12.
      for (const record of records) if (!JSON.stringify(record).includes("clients/gone")) await applyRecord(applied, record as JournalRecord, new Set());
      // Half the changes in a journal a checkpoint sealed, the rest in the current one.
      const lines = records.map((r) => `${JSON.stringify(r)}\n`);
      await writeFile(join(replayed, "journal-00000001.jsonl"), lines.slice(0, 150).join(""));
      await writeFile(join(replayed, "journal.jsonl"), lines.slice(150).join(""));

      const j = new Journal(replayed, join(replayed, "journal.jsonl"), options);
      const { replayed: count, paths } = await j.replayLeft();
      expect(count).toBe(records.length);
      expect(paths.has("clients/acme/queue/e1/status.json")).toBe(true);
      expect([...paths].some((p) => p.startsWith("clients/gone"))).toBe(false);
      // Written once replayLeft resolves: the open's readers read the files themselves.
      expect(await tree(replayed)).toEqual(await tree(applied));
      await j.startAppending();
      await j.close();
      expect(await tree(replayed)).toEqual(await tree(applied));
      expect(Object.keys(await tree(replayed))).toContain("clients/acme/queue/e21/attachments/a.bin");
      expect(await readdir(replayed)).not.toContain("journal-00000001.jsonl");
    });
  }
});

describe("json database on the journal", () => {
  let home: TempHome;
  let db: Database | undefined;
  let warnings: DatabusError[];
  const openDb = async (journal: Partial<JournalOptions> = {}) => {
    db = createJsonDatabase(home.dataDir, { journal, onWarning: (w) => warnings.push(w) });
    await db.open();
    return db;
  };
  beforeEach(async () => {
    home = await createTempHome("databus-journal-db-");
    warnings = [];
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
    await home.cleanup();
  });

  describe("when the dispatcher records steps of many entries at once", () => {
    it("shares one fsync between the concurrent updateStep calls", async () => {
      const s = countingSync();
      // A wide batch window: the calls read their files first, so they reach the journal a moment apart.
      const store = await openDb({ sync: s.sync, batchMs: 50 });
      await store.createClient("acme", "{}");
      const requests = Array.from({ length: 10 }, (_, n) => seatRequest(`x${n}`));
      await store.seat("acme", requests);
      s.calls = 0;
      const updated = await Promise.all(requests.map((r) => store.updateStep("acme", r.passenger.id, 0, { action: "succeed", at: T0 })));
      expect(s.calls).toBe(1);
      expect(updated.every((e) => e.steps[0]!.state === "done")).toBe(true);
      expect((await store.countEntries("acme")).pending).toBe(10);
    });

    it("keeps the changes of a batch call whose records were stored when a later record's fsync failed", async () => {
      let failAt = 0;
      let syncs = 0;
      const store = await openDb({ batchBytes: 1, sync: async (fh) => (++syncs === failAt ? Promise.reject(Object.assign(new Error("no space"), { code: "ENOSPC" })) : fh.sync()) });
      await store.createClient("acme", "{}");
      const [a, b] = [seatRequest("a"), seatRequest("b")];
      await store.seat("acme", [a, b]);
      failAt = syncs + 2; // the second record of the call
      const succeed = { action: "succeed" as const, at: T0 };
      const results = await store.updateSteps("acme", [{ id: a.passenger.id, stepIndex: 0, change: succeed }, { id: b.passenger.id, stepIndex: 0, change: succeed }]);
      expect(results[0]).not.toBeInstanceOf(Error);
      expect((results[1] as DatabusError).code).toBe("DBUS_STO_DISK_FULL");
      expect((await store.getEntry("acme", a.passenger.id))?.steps[0]!.state).toBe("done");
      expect((await store.getEntry("acme", b.passenger.id))?.steps[0]!.state).toBe("pending");
      // What was stored is what the next change starts from.
      const [again] = await store.updateSteps("acme", [{ id: a.passenger.id, stepIndex: 0, change: succeed }]);
      expect((again as DatabusError).code).toBe("DBUS_Q_ACTION_NOT_ALLOWED");
    });
  });

  describe("when a crash left changes in the journal that were never written to their files", () => {
    it("repairs the files at open and reports the recovery once", async () => {
      const store = await openDb();
      await store.createClient("acme", "{}");
      const r = seatRequest("x1");
      await store.seat("acme", [r]);
      await store.close();
      const clientDir = join(home.dataDir, "clients", "acme");
      const statusFile = join(clientDir, "queue", r.passenger.id, "status.json");
      const status = JSON.parse(await readFile(statusFile, "utf8"));
      status.steps[0] = { ...status.steps[0], state: "done", attempts: 1 };
      // What the journal holds when the process dies after the fsync and before the files are written.
      const records = [
        { ops: [{ op: "write", path: `clients/acme/queue/${r.passenger.id}/status.json`, text: JSON.stringify(status) }] },
        { ops: [{ op: "write", path: "clients/acme/state/acme%2Fp.json", text: JSON.stringify({ cursor: 7 }) }] },
      ];
      await writeFile(join(home.dataDir, "journal.jsonl"), records.map((x) => `${JSON.stringify(x)}\n`).join(""));

      const again = await openDb();
      expect((await again.getEntry("acme", r.passenger.id))?.steps[0]?.state).toBe("done");
      expect((await again.countEntries("acme")).pending).toBe(1);
      expect(await again.getState("acme", "acme/p", "cursor")).toBe(7);
      expect(warnings.map((w) => [w.code, w.message])).toEqual([["DBUS_WRN_STO_RECOVERED", "2 changes were recovered from the journal after an unclean stop."]]);
      expect((await stat(join(home.dataDir, "journal.jsonl"))).size).toBe(0);
      await again.close();
      await openDb();
      expect(warnings).toHaveLength(1);
    });

    it("ignores a torn last line, which was never acknowledged", async () => {
      const store = await openDb();
      await store.createClient("acme", "{}");
      await store.close();
      const good = { ops: [{ op: "write", path: "clients/acme/state/acme%2Fp.json", text: JSON.stringify({ cursor: 1 }) }] };
      const torn = JSON.stringify({ ops: [{ op: "write", path: "clients/acme/state/acme%2Fp.json", text: JSON.stringify({ cursor: 2 }) }] });
      await writeFile(join(home.dataDir, "journal.jsonl"), `${JSON.stringify(good)}\n`);
      await appendFile(join(home.dataDir, "journal.jsonl"), torn.slice(0, torn.length - 9));

      const again = await openDb();
      expect(await again.getState("acme", "acme/p", "cursor")).toBe(1);
      expect(warnings.map((w) => w.message)).toEqual(["1 changes were recovered from the journal after an unclean stop."]);
    });
  });

  describe("when the files cannot be made durable as the store closes (disk full)", () => {
    it("says so, still lets the home go, and the next open has every change from the journal", async () => {
      let full = false;
      const store = await openDb({
        syncFiles: async () => {
          if (full) throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
        },
      });
      await store.createClient("acme", "{}");
      await store.setState("acme", "acme/p", "cursor", 4);
      full = true;
      const err = (await store.close().catch((e) => e)) as DatabusError;
      expect(err.code).toBe("DBUS_STO_DISK_FULL");
      expect(await Bun.file(join(home.dataDir, "databus.lock")).exists()).toBe(false);
      db = undefined;
      const again = await openDb();
      expect(await again.getState("acme", "acme/p", "cursor")).toBe(4);
    });
  });

  describe("when the store closes cleanly", () => {
    it("leaves an empty journal and reports nothing at the next open", async () => {
      const store = await openDb();
      await store.createClient("acme", "{}");
      await store.seat("acme", [seatRequest("x1")]);
      await store.setState("acme", "acme/p", "cursor", 3);
      await store.close();
      expect((await stat(join(home.dataDir, "journal.jsonl"))).size).toBe(0);
      const again = await openDb();
      expect(await again.getState("acme", "acme/p", "cursor")).toBe(3);
      expect(warnings).toEqual([]);
    });

    it("leaves no temp file behind, the spares its file writer kept between drains included", async () => {
      const store = await openDb({ materialiseMs: 5 });
      await store.createClient("acme", "{}");
      const requests = Array.from({ length: 4 }, (_, n) => request({ external_id: `x${n}` }, [], ["acme/a", "acme/b"]));
      await store.seat("acme", requests);
      // Each step change rewrites status.json in a drain of its own: the writer keeps spares between them.
      for (let step = 0; step < 3; step++) {
        await Promise.all(requests.map((r) => store.updateStep("acme", r.passenger.id, step, { action: "succeed", at: T0 })));
        await Bun.sleep(30);
      }
      const queue = join(home.dataDir, "clients", "acme", "queue");
      expect((await readdir(queue)).some((n) => n.startsWith(".tmp-"))).toBe(true);
      await store.close();
      db = undefined;
      expect((await readdir(queue)).filter((n) => n.startsWith("."))).toEqual([]);
      expect((await readdir(queue)).length).toBe(4);
    });
  });
});
