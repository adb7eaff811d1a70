import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { applyRecord, Binary, contentFields, copyJsonValue, isJournalRecord, JsonText, recordLine, relativePath, type JournalRecord } from "../../../../src/storage/json/journal-ops";
import { createTempHome, type TempHome } from "../../../support/temp-home";

const ID = "01900000-0000-7000-8000-000000000001";

describe("json journal ops", () => {
  let home: TempHome;
  let queue: string;
  beforeEach(async () => {
    home = await createTempHome();
    queue = join(home.dataDir, "clients", "acme", "queue");
    await mkdir(queue, { recursive: true });
  });
  afterEach(() => home.cleanup());

  describe("when a folder record is replayed over a folder already there", () => {
    it("replaces it whole, bytes and text alike", async () => {
      await mkdir(join(queue, ID), { recursive: true });
      await writeFile(join(queue, ID, "stale.json"), "old");
      const dirty = new Set<string>();
      const files = [
        { name: "passenger.json", text: "{}" },
        { name: "attachments/a.bin", base64: Buffer.from([1, 2, 3]).toString("base64") },
      ];
      await applyRecord(home.dataDir, { ops: [{ op: "folder", path: `clients/acme/queue/${ID}`, files }] }, dirty);
      expect((await readdir(join(queue, ID))).sort()).toEqual(["attachments", "passenger.json"]);
      expect(await readFile(join(queue, ID, "passenger.json"), "utf8")).toBe("{}");
      expect([...(await readFile(join(queue, ID, "attachments", "a.bin")))]).toEqual([1, 2, 3]);
      expect(dirty.has(join(queue, ID, "passenger.json"))).toBe(true);
    });
  });

  describe("when a folder record is replayed over a folder that holds exactly its files", () => {
    const files = [
      { name: "passenger.json", text: '{"n":1}' },
      { name: "attachments/a.bin", base64: Buffer.from([1, 2, 3]).toString("base64") },
    ];
    const record: JournalRecord = { ops: [{ op: "folder", path: `clients/acme/queue/${ID}`, files }] };
    const inodes = async () => [(await stat(join(queue, ID))).ino, (await stat(join(queue, ID, "passenger.json"))).ino];

    it("leaves the folder as it is (no inode freed), and still lists its files for the next sync", async () => {
      await applyRecord(home.dataDir, record, new Set());
      const before = await inodes();
      const dirty = new Set<string>();
      await applyRecord(home.dataDir, record, dirty);
      expect(await inodes()).toEqual(before);
      expect(dirty.has(join(queue, ID, "passenger.json"))).toBe(true);
      expect(dirty.has(join(queue, ID, "attachments", "a.bin"))).toBe(true);
      expect(dirty.has(queue)).toBe(true);
    });

    it("replaces it when one file's bytes differ, or it holds a file more", async () => {
      await applyRecord(home.dataDir, record, new Set());
      await writeFile(join(queue, ID, "attachments", "a.bin"), new Uint8Array([1, 2, 4]));
      const changed = await inodes();
      await applyRecord(home.dataDir, record, new Set());
      expect((await inodes())[0]).not.toBe(changed[0]);
      expect([...(await readFile(join(queue, ID, "attachments", "a.bin")))]).toEqual([1, 2, 3]);

      await writeFile(join(queue, ID, "extra.json"), "{}");
      await applyRecord(home.dataDir, record, new Set());
      expect((await readdir(join(queue, ID))).sort()).toEqual(["attachments", "passenger.json"]);
    });
  });

  describe("when an op holds a value instead of text", () => {
    it("writes the value as indented JSON, in a folder and on its own", async () => {
      const status = { seated_at: "t", steps: [{ state: "done" }] };
      const folder = { op: "folder" as const, path: `clients/acme/queue/${ID}`, files: [{ name: "status.json", json: status }] };
      await applyRecord(home.dataDir, { ops: [folder] }, new Set());
      const expected = `${JSON.stringify(status, null, 2)}\n`;
      expect(await readFile(join(queue, ID, "status.json"), "utf8")).toBe(expected);
      await applyRecord(home.dataDir, { ops: [{ op: "write", path: `clients/acme/queue/${ID}/status.json`, json: { seated_at: "u" } }] }, new Set());
      expect(await readFile(join(queue, ID, "status.json"), "utf8")).toBe('{\n  "seated_at": "u"\n}\n');
    });
  });

  describe("when bytes are held as they are (Binary)", () => {
    it("keeps a copy of the caller's bytes, goes into the line as base64 and replays as the same file", async () => {
      const caller = Uint8Array.from([0, 1, 2, 250, 255]);
      const fields = contentFields(caller) as { base64: Binary };
      caller[0] = 9;
      const op = { op: "write" as const, path: `clients/acme/queue/${ID}/attachments/a.bin`, ...fields };
      expect(op.base64).toBeInstanceOf(Binary);
      const line = recordLine({ ops: [op] });
      // The same line JSON.stringify makes of the bytes as a base64 string: replay reads it as before.
      expect(line).toBe(`${JSON.stringify({ ops: [{ ...op, base64: Buffer.from([0, 1, 2, 250, 255]).toString("base64") }] })}\n`);
      const folder = { op: "folder" as const, path: `clients/acme/queue/${ID}`, files: [{ name: "attachments/b.bin", ...fields }] };
      expect(JSON.parse(recordLine({ ops: [folder] }))).toEqual({ ops: [{ ...folder, files: [{ name: "attachments/b.bin", base64: "AAEC+v8=" }] }] });
      const replayed = JSON.parse(line) as JournalRecord;
      await applyRecord(home.dataDir, replayed, new Set());
      expect([...(await readFile(join(queue, ID, "attachments", "a.bin")))]).toEqual([0, 1, 2, 250, 255]);
    });
  });

  describe("when a value is held as its compact text (JsonText)", () => {
    const passenger = { id: ID, payload: { note: "line one\nline two", n: 1 }, log_ids: [] };
    const text = JSON.stringify(passenger);
    const record = (json: unknown): JournalRecord => ({
      ops: [
        { op: "folder", path: `clients/acme/queue/${ID}`, files: [{ name: "attachments/a.bin", base64: "AAE=" }, { name: "passenger.json", json }] },
        { op: "write", path: `clients/acme/queue/${ID}/passenger.json`, json },
        { op: "remove", path: `clients/acme/queue/${ID}/attachments/a.bin` },
      ],
    });

    it("goes into the journal line as it is, one line that reads back as the value would", () => {
      const line = recordLine(record(new JsonText(text)));
      expect(line.endsWith("\n")).toBe(true);
      expect(line.slice(0, -1)).not.toContain("\n");
      expect(line.split(text)).toHaveLength(3);
      expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(record(passenger))));
      expect(recordLine(record(passenger))).toBe(`${JSON.stringify(record(passenger))}\n`);
    });

    it("is written as indented JSON, and every reader gets its own copy", async () => {
      await applyRecord(home.dataDir, { ops: [{ op: "write", path: `clients/acme/queue/${ID}/passenger.json`, json: new JsonText(text) }] }, new Set());
      expect(await readFile(join(queue, ID, "passenger.json"), "utf8")).toBe(`${JSON.stringify(passenger, null, 2)}\n`);
      const held = new JsonText(text);
      const copy = copyJsonValue<typeof passenger>(held);
      copy.payload.n = 2;
      expect(copyJsonValue(held)).toEqual(passenger);
      const plain = { ...passenger };
      expect(copyJsonValue(plain)).not.toBe(plain);
      expect(copyJsonValue(plain)).toEqual(passenger);
    });
  });

  describe("when an entry file is written and then the entry removed", () => {
    it("leaves no temp file in the entry or the queue folder, and a second remove is no error", async () => {
      const path = `clients/acme/queue/${ID}/status.json`;
      await applyRecord(home.dataDir, { ops: [{ op: "write", path, text: "1" }] }, new Set());
      expect(await readdir(join(queue, ID))).toEqual(["status.json"]);
      expect(await readdir(queue)).toEqual([ID]);
      const remove = { ops: [{ op: "remove" as const, path: `clients/acme/queue/${ID}` }] };
      await applyRecord(home.dataDir, remove, new Set());
      await applyRecord(home.dataDir, remove, new Set());
      expect(await readdir(queue)).toEqual([]);
    });
  });

  describe("when a record points outside the data folder", () => {
    it("is refused with DBUS_STO_CORRUPT_FILE", () => {
      expect(() => relativePath(home.dataDir, "../etc/passwd")).toThrow(expect.objectContaining({ code: "DBUS_STO_CORRUPT_FILE" }));
      expect(() => relativePath(home.dataDir, join(home.home, "x"))).toThrow(expect.objectContaining({ code: "DBUS_STO_CORRUPT_FILE" }));
      expect(relativePath(home.dataDir, join(home.dataDir, "clients", "acme", "x.json"))).toBe("clients/acme/x.json");
    });
  });

  describe("when a line parses but is not a record", () => {
    it("is not taken for one", () => {
      expect(isJournalRecord({ ops: [{ op: "write", path: "a" }] })).toBe(true);
      expect(isJournalRecord({ ops: [{ op: "chmod", path: "a" }] })).toBe(false);
      expect(isJournalRecord([1, 2])).toBe(false);
    });
  });
});
