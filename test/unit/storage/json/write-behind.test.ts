/**
 * Files written behind the journal: readers see acknowledged changes before their files exist, a file
 * changed many times is written once, and files that cannot be written keep the journal (and the
 * readers' view) until they can.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json";
import { Journal, type JournalOptions } from "../../../../src/storage/json/journal";
import type { Materialiser } from "../../../../src/storage/json/materialiser";
import { WriteBehind } from "../../../../src/storage/json/write-behind";
import { request } from "../../../contract/builders";
import { createTempHome, type TempHome } from "../../../support/temp-home";

const T0 = "2024-05-01T12:00:00.000Z";

describe("json journal, files written behind", () => {
  let home: TempHome;
  const journals: Journal[] = [];
  /** A long window: nothing is written until writeFiles() or a checkpoint, unless a test says so. */
  const open = async (options: Partial<JournalOptions> = {}) => {
    const j = new Journal(home.dataDir, join(home.dataDir, "journal.jsonl"), { materialiseMs: 60_000, ...options });
    journals.push(j);
    await j.open();
    return j;
  };
  const path = (name: string) => join(home.dataDir, name);
  beforeEach(async () => {
    home = await createTempHome("databus-write-behind-");
    await mkdir(home.dataDir, { recursive: true });
  });
  afterEach(async () => {
    for (const j of journals.splice(0)) await j.close().catch(() => undefined);
    await home.cleanup();
  });

  describe("when a change is acknowledged and its file is not written yet", () => {
    it("gives readers the new content, and 'absent' after a removal", async () => {
      const j = await open();
      await j.commit([{ op: "write", path: path("a.json"), text: '{"n":1}' }]);
      expect(await Bun.file(path("a.json")).exists()).toBe(false);
      expect(await j.readJson(path("a.json"))).toEqual({ n: 1 });
      await j.commit([{ op: "remove", path: path("a.json") }]);
      expect(await j.readJson(path("a.json"))).toBeUndefined();
      expect(j.peek(path("a.json"))).toBe("absent");
    });

    it("answers for files inside a folder written whole, and nothing for files the folder does not hold", async () => {
      const j = await open();
      await writeFile(path("old.txt"), "on disk");
      await j.commit([{ op: "folder", path: path("e"), files: [{ name: "p.json", text: "{}" }, { name: "attachments/b.bin", base64: "AQID" }] }]);
      expect(await j.readBytes(path("e/attachments/b.bin"))).toEqual(new Uint8Array([1, 2, 3]));
      expect(j.peek(path("e/missing.json"))).toBe("absent");
      expect(j.peek(path("old.txt"))).toBeUndefined();
      expect(await j.readBytes(path("old.txt"))).toEqual(new TextEncoder().encode("on disk"));
    });
  });

  describe("when one file changes many times before it is written", () => {
    it("writes the last content, the folder op taking it in place of the first", async () => {
      const synced: string[][] = [];
      const j = await open({ syncFiles: async (_dir, dirty) => void synced.push([...dirty]) });
      await j.commit([{ op: "folder", path: path("entry"), files: [{ name: "status.json", text: "0" }] }]);
      for (let n = 1; n <= 5; n++) await j.commit([{ op: "write", path: path("entry/status.json"), text: String(n) }]);
      await j.writeFiles();
      expect(await readFile(path("entry/status.json"), "utf8")).toBe("5");
      // The folder op took the newest status.json, so no temp file was renamed over it afterwards.
      expect(j.peek(path("entry/status.json"))).toBeUndefined();
      await j.checkpoint();
      expect(synced.at(-1)).toContain(path("entry/status.json"));
    });

    it("never writes a folder that a later change removed", async () => {
      const j = await open();
      await j.commit([{ op: "folder", path: path("gone"), files: [{ name: "x.json", text: "1" }] }]);
      await j.commit([{ op: "write", path: path("gone/x.json"), text: "2" }]);
      await j.commit([{ op: "remove", path: path("gone") }]);
      await j.writeFiles();
      expect(await Bun.file(path("gone/x.json")).exists()).toBe(false);
    });
  });

  describe("when the files cannot be written", () => {
    it("keeps answering readers, refuses to truncate the journal, and writes them once it can", async () => {
      const j = await open();
      // A file where a folder should be: every write under it fails (ENOTDIR), like a disk that refuses.
      await writeFile(path("blocked"), "a file, not a folder");
      await j.commit([{ op: "write", path: path("blocked/a.json"), text: '{"kept":true}' }]);
      await expect(j.writeFiles()).rejects.toMatchObject({ code: "DBUS_STO_WRITE_FAILED" });
      expect(await j.readJson(path("blocked/a.json"))).toEqual({ kept: true });
      await expect(j.checkpoint()).rejects.toMatchObject({ code: "DBUS_STO_WRITE_FAILED" });
      // The change stays in the journal the checkpoint sealed, which is kept until its files are durable.
      const sealed = (await readdir(home.dataDir)).filter((n) => /^journal-\d+\.jsonl$/.test(n));
      expect(sealed).toHaveLength(1);
      expect(await readFile(path(sealed[0]!), "utf8")).toContain("blocked/a.json");

      await rm(path("blocked"));
      await j.checkpoint();
      expect(await readFile(path("blocked/a.json"), "utf8")).toBe('{"kept":true}');
      expect((await readdir(home.dataDir)).filter((n) => /^journal-/.test(n))).toEqual([]);
      expect((await stat(j.path)).size).toBe(0);
    });
  });

  describe("when a checkpoint runs while changes keep coming", () => {
    it("acknowledges new changes before the checkpoint's files are synced", async () => {
      let releaseSync: () => void = () => undefined;
      const syncing = new Promise<void>((r) => (releaseSync = r));
      const j = await open({ syncFiles: () => syncing });
      await j.commit([{ op: "write", path: path("a.json"), text: "1" }]);
      const checkpoint = j.checkpoint();
      // The checkpoint waits for the file sync; a new change is durable and acknowledged meanwhile.
      await j.commit([{ op: "write", path: path("b.json"), text: "2" }]);
      expect(await j.readJson(path("b.json"))).toBe(2);
      releaseSync();
      await checkpoint;
      expect(await readFile(j.path, "utf8")).toContain("b.json");
    });

    it("replays a sealed journal a crash left, before the current one", async () => {
      const j = await open();
      await j.close();
      // A crash after sealing: the older change sits in a sealed journal, a newer one in the current journal.
      await writeFile(path("journal-00000007.jsonl"), `${JSON.stringify({ ops: [{ op: "write", path: "x.json", text: "old" }] })}\n`);
      await writeFile(j.path, `${JSON.stringify({ ops: [{ op: "write", path: "x.json", text: "new" }] })}\n`);
      const again = new Journal(home.dataDir, j.path, {});
      journals.push(again);
      expect(await again.open()).toBe(2);
      expect(await readFile(path("x.json"), "utf8")).toBe("new");
      expect(await Bun.file(path("journal-00000007.jsonl")).exists()).toBe(false);
    });
  });

  describe("when the materialise window passes", () => {
    it("writes the files without being asked", async () => {
      const j = await open({ materialiseMs: 5 });
      await j.commit([{ op: "write", path: path("soon.json"), text: "1" }]);
      for (let i = 0; i < 200 && !(await Bun.file(path("soon.json")).exists()); i++) await Bun.sleep(5);
      expect(await readFile(path("soon.json"), "utf8")).toBe("1");
    });
  });
});

describe("json database with files written behind", () => {
  let home: TempHome;
  let db: Database;
  beforeEach(async () => {
    home = await createTempHome("databus-write-behind-db-");
    db = createJsonDatabase(home.dataDir, { journal: { materialiseMs: 60_000 } });
    await db.open();
    await db.createClient("acme", "{}");
  });
  afterEach(async () => {
    await db.close();
    await home.cleanup();
  });

  it("serves an entry seated and changed before any of its files exist, and writes them at close", async () => {
    const r = request({ external_id: "x1" });
    await db.seat("acme", [r]);
    await db.updateStep("acme", r.passenger.id, 0, { action: "succeed", at: T0 });
    const dir = join(home.dataDir, "clients", "acme", "queue", r.passenger.id);
    expect(await Bun.file(join(dir, "status.json")).exists()).toBe(false);
    expect((await db.getEntry("acme", r.passenger.id))?.steps[0]?.state).toBe("done");
    await db.close();
    expect(JSON.parse(await readFile(join(dir, "status.json"), "utf8")).steps[0].state).toBe("done");
    db = createJsonDatabase(home.dataDir);
    await db.open();
    expect((await db.getEntry("acme", r.passenger.id))?.steps[0]?.state).toBe("done");
  });

  it("gives every reader its own copy of the passenger (a change in place does not reach the store)", async () => {
    const r = request({ external_id: "x2", payload: { n: 1 } });
    await db.seat("acme", [r]);
    const first = await db.getPassenger("acme", r.passenger.id);
    (first.payload as { n: number }).n = 99;
    const entry = await db.getEntry("acme", r.passenger.id);
    entry!.steps[0]!.state = "failed";
    expect((await db.getPassenger("acme", r.passenger.id)).payload).toEqual({ n: 1 });
    expect((await db.getEntry("acme", r.passenger.id))?.steps[0]?.state).toBe("pending");
  });
});

/**
 * A write-behind (drains of 100 bytes) whose writer holds each drain until the test calls its done():
 * `applies` lists the drains in order with the paths each was given.
 */
function heldDrains() {
  const applies: { paths: string[]; done: () => void }[] = [];
  const writer: Materialiser = {
    apply: (_d, tasks) => new Promise<void>((done) => applies.push({ paths: tasks.flatMap((t) => t.ops.map((op) => op.path)), done })),
  };
  const behind = new WriteBehind("/data", { materialiseMs: 60_000, materialiseBytes: 100 }, () => new Set(), writer);
  const record = (n: number) => ({ ops: [{ op: "write" as const, path: `q/e${n}/s.json`, text: "x" }] });
  // Settled within `ms`: 30 ms to show a wait goes on, up to 2 s to see one end (it ends at once).
  const settled = (p: Promise<void>, ms = 2000) => Promise.race([p.then(() => true), Bun.sleep(ms).then(() => false)]);
  return { applies, behind, record, settled };
}

describe("write-behind drains", () => {
  describe("when changes come faster than their files are written", () => {
    it("tells the writer a drain is behind once it holds twice the usual drain", async () => {
      const seen: boolean[] = [];
      const writer: Materialiser = { apply: async (_d, _t, _dirty, behind) => void seen.push(behind === true) };
      const behind = new WriteBehind("/data", { materialiseMs: 60_000, materialiseBytes: 1000 }, () => new Set(), writer);
      const record = (n: number) => ({ ops: [{ op: "write" as const, path: `q/e${n}/s.json`, text: "x" }] });
      behind.add(record(1), "x".repeat(500));
      await behind.writeAll();
      for (let n = 2; n < 6; n++) behind.add(record(n), "x".repeat(600));
      await behind.writeAll();
      expect(seen).toEqual([false, true]);
    });

    it("holds callers while more than four drains' worth waits, until a drain takes it (not until that drain ends)", async () => {
      const { applies, behind, record, settled } = heldDrains();

      behind.add(record(1), "x".repeat(150)); // a drain's worth: written at once
      await Bun.sleep(5);
      expect(applies.map((a) => a.paths)).toEqual([["q/e1/s.json"]]);
      expect(await settled(behind.room())).toBe(true); // little waits: nobody is held

      for (let n = 2; n <= 6; n++) behind.add(record(n), "x".repeat(100)); // 500 bytes wait: over 4 × 100
      expect(behind.overloaded).toBe(true);
      const held = behind.room();
      expect(await settled(held, 30)).toBe(false); // the first drain is still writing

      applies[0]!.done();
      expect(await settled(held)).toBe(true); // the next drain took the rest…
      expect(applies.map((a) => a.paths)).toEqual([["q/e1/s.json"], ["q/e2/s.json", "q/e3/s.json", "q/e4/s.json", "q/e5/s.json", "q/e6/s.json"]]);
      expect(behind.overloaded).toBe(false); // …and is still writing it: callers go on meanwhile
      applies[1]!.done();
      await behind.writeAll();
    });

    it("writes everything added before writeAll within two drains, however often a drain was asked for meanwhile", async () => {
      // A checkpoint's writeAll waited behind every drain asked for while one was writing (each
      // caller held by backpressure asked again), each taking what had come since: 14 s and a
      // journal of 365 MB in a run of 100,000 passengers, until the run ended.
      const { applies, behind, record, settled } = heldDrains();

      behind.add(record(1), "x".repeat(150));
      await Bun.sleep(5);
      expect(applies).toHaveLength(1); // the first drain is writing
      for (let n = 2; n <= 6; n++) {
        behind.add(record(n), "x".repeat(100));
        void behind.room(); // a caller held by backpressure asks for a drain…
        await Bun.sleep(1); // …and its timer fires before the next caller comes
      }
      const all = behind.writeAll();
      applies[0]!.done();
      await Bun.sleep(5);
      expect(applies.map((a) => a.paths.length)).toEqual([1, 5]); // one drain took everything that waited
      behind.add(record(7), "x".repeat(150)); // changes go on coming while it writes
      applies[1]!.done();
      expect(await settled(all)).toBe(true); // written: writeAll does not wait for the drain of record 7
      await Bun.sleep(5);
      expect(applies.map((a) => a.paths)).toEqual([["q/e1/s.json"], ["q/e2/s.json", "q/e3/s.json", "q/e4/s.json", "q/e5/s.json", "q/e6/s.json"], ["q/e7/s.json"]]);
      applies[2]!.done();
      await behind.writeAll();
    });

    it("does not hold callers for good while the files cannot be written (disk full): each retry takes the changes again", async () => {
      let fail = true;
      const writer: Materialiser = { apply: async () => void (fail ? await Promise.reject(new Error("no space left on device")) : undefined) };
      const behind = new WriteBehind("/data", { materialiseMs: 60_000, materialiseBytes: 100 }, () => new Set(), writer);
      for (let n = 1; n <= 5; n++) behind.add({ ops: [{ op: "write" as const, path: `q/e${n}/s.json`, text: "x" }] }, "x".repeat(100));
      await behind.writeAll().catch(() => undefined); // a failed drain: its changes wait again
      expect(behind.overloaded).toBe(true);
      expect(await Promise.race([behind.room().then(() => true), Bun.sleep(2000).then(() => false)])).toBe(true);
      fail = false;
      await behind.writeAll();
      expect(behind.overloaded).toBe(false);
    });
  });
});
