/**
 * The json queue's own choices beyond the storage contract (test/contract): what it writes again.
 * The contract suite covers the rest of queue.ts.
 */
import { describe, expect, it } from "bun:test";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../../../../src/storage/database";
import { request, T0, textAttachment } from "../../../contract/builders";
import { useJsonStore } from "../../../support/temp-home";

const writeFiles = (db: Database) => (db as unknown as { journal: { checkpoint(): Promise<void> } }).journal.checkpoint();
const dataDir = (db: Database) => (db as unknown as { layout: { dataDir: string } }).layout.dataDir;

describe("json queue", () => {
  const db = useJsonStore("databus-json-queue-");

  describe("when a processor hands back its passenger with a new payload", () => {
    it("does not write an attachment again that holds what the entry has, and writes one that changed", async () => {
      const r = request({ attachments: [textAttachment("keep.txt", "kept"), { name: "doc.bin", content: new Uint8Array(1000).fill(7) }] }, ["acme/proc"], ["acme/x"]);
      await db().seat("acme", [r]);
      const id = r.passenger.id;
      await writeFiles(db());
      const file = (name: string) => join(dataDir(db()), "clients", "acme", "queue", id, "attachments", name);
      const before = { keep: (await stat(file("keep.txt"))).ino, doc: (await stat(file("doc.bin"))).ino };

      const read = await db().getPassenger("acme", id);
      (read.attachments[1]!.content as Uint8Array)[999] = 8;
      const [done] = await db().updateSteps("acme", [{ id, stepIndex: 1, change: { action: "succeed", at: T0 }, passenger: { payload: { n: 1 }, attachments: read.attachments } }]);
      expect(done).not.toBeInstanceOf(Error);
      await writeFiles(db());

      expect((await stat(file("keep.txt"))).ino).toBe(before.keep);
      expect(await readFile(file("keep.txt"), "utf8")).toBe("kept");
      expect((await stat(file("doc.bin"))).ino).not.toBe(before.doc);
      expect((await readFile(file("doc.bin")))[999]).toBe(8);
      expect((await db().getPassenger("acme", id)).payload).toEqual({ n: 1 });
    });

    it("tells a changed attachment from the pending one before any file is written", async () => {
      const r = request({ attachments: [{ name: "same.bin", content: new Uint8Array(1000).fill(5) }, { name: "doc.bin", content: new Uint8Array(1000).fill(7) }] }, ["acme/proc"], ["acme/x"]);
      await db().seat("acme", [r]);
      const id = r.passenger.id;
      const read = await db().getPassenger("acme", id);
      (read.attachments[1]!.content as Uint8Array)[999] = 8;
      const [done] = await db().updateSteps("acme", [{ id, stepIndex: 1, change: { action: "succeed", at: T0 }, passenger: { payload: { n: 1 }, attachments: read.attachments } }]);
      expect(done).not.toBeInstanceOf(Error);
      const again = await db().getPassenger("acme", id);
      expect([...(again.attachments[0]!.content as Uint8Array)]).toEqual(Array(1000).fill(5));
      expect((again.attachments[1]!.content as Uint8Array)[999]).toBe(8);
      await writeFiles(db());
      const file = (name: string) => join(dataDir(db()), "clients", "acme", "queue", id, "attachments", name);
      expect([...(await readFile(file("same.bin")))]).toEqual(Array(1000).fill(5));
      expect((await readFile(file("doc.bin")))[999]).toBe(8);
    });
  });
});
