/** importClient: round trip, targets, and truncated, corrupt or hostile archives (nothing written outside). */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { readdir } from "node:fs/promises";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json/index";
import type { TransferProgress } from "../../../../src/storage/transfer/format";
import { importClient, readArchiveHeader } from "../../../../src/storage/transfer/import";
import { createTempHome, type TempHome } from "../../../support/temp-home";
import { archiveOf, exportBytes, recordsOf, streamOf } from "./archive-bytes";
import { fillClient, snapshotClient } from "./filled-client";

let home: TempHome;
let db: Database;
let archive: Uint8Array;

beforeEach(async () => {
  home = await createTempHome("databus-transfer-");
  db = createJsonDatabase(home.dataDir);
  await db.open();
  await fillClient(db, "acme");
  await db.createClient("globex", `{ "passengers": [] }\n`);
  archive = await exportBytes(db, "acme");
  // The json store writes its files behind its journal; a clean reopen writes them all, so the
  // "nothing written outside" checks compare trees of files that are all in place.
  await db.close();
  db = createJsonDatabase(home.dataDir);
  await db.open();
});
afterEach(async () => {
  await db.close();
  await home.cleanup();
});

/** Runs the import and returns its catalogue error code (or "ok"). */
async function importCode(bytes: Uint8Array, into?: string): Promise<{ code: string; message: string }> {
  try {
    await importClient(db, streamOf(bytes), { into });
    return { code: "ok", message: "" };
  } catch (e) {
    return { code: (e as { code?: string }).code ?? String(e), message: (e as Error).message };
  }
}

/** Every path under the data folder, to prove a failed import left nothing behind. */
async function treeOf(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

const edited = (edit: (records: Array<Record<string, unknown>>) => unknown[]) => archiveOf(edit(recordsOf(archive)));

describe("importClient", () => {
  describe("when a client with everything is exported and imported into a new id", () => {
    it("recreates config, backups, files, users, entries in every state with attachments, and logs, all equal", async () => {
      const progress: TransferProgress[] = [];
      const result = await importClient(db, streamOf(archive), { into: "acme2" }, (p) => progress.push(structuredClone(p)));
      expect(result.client).toBe("acme2");
      expect(result.created).toBe(true);
      expect(result.counts).toEqual({ backups: 2, files: 2, users: 2, entries: 5, attachments: 10, logs: 3, log_entries: 1205 });
      const before = await snapshotClient(db, "acme");
      const after = await snapshotClient(db, "acme2");
      expect(after).toEqual(before);
      expect(after.counts).toEqual({ pending: 1, failed: 1, dead: 1, complete: 2 });
      expect(progress.at(-1)).toEqual({ phase: "done", entries: { done: 5, total: 5 }, logs: { done: 3, total: 3 } });
    });

    it("keeps the seat and completion times of each entry", async () => {
      await importClient(db, streamOf(archive), { into: "acme2" });
      const times = async (client: string) =>
        (await db.listEntries(client, {}, { offset: 0, limit: 10 }, "seated_at")).entries.map((e) => [e.seated_at, e.completed_at]);
      expect(await times("acme2")).toEqual(await times("acme"));
      expect((await times("acme2")).filter(([, c]) => c !== null)).toHaveLength(2);
    });

    it("uses the archive's own client id when no target is given", async () => {
      await db.deleteClient("acme");
      const result = await importClient(db, streamOf(archive));
      expect(result.client).toBe("acme");
      expect((await db.countEntries("acme")).complete).toBe(2);
    });
  });

  describe("when the target already exists", () => {
    it("imports into an empty client and keeps its old config as a backup", async () => {
      const result = await importClient(db, streamOf(archive), { into: "globex" });
      expect(result.created).toBe(false);
      const snap = await snapshotClient(db, "globex");
      expect(snap.config).toBe(await db.readConfig("acme"));
      expect(snap.backups[0]).toBe(`{ "passengers": [] }\n`);
      expect(snap.entries).toHaveLength(5);
    });

    it("refuses a client that has entries with DBUS_EXP_TARGET_NOT_EMPTY and changes nothing", async () => {
      const before = await snapshotClient(db, "acme");
      const { code, message } = await importCode(archive, "acme");
      expect(code).toBe("DBUS_EXP_TARGET_NOT_EMPTY");
      expect(message).toBe("Client acme already has 5 queue entries and 3 logs, so nothing was imported into it.");
      expect(await snapshotClient(db, "acme")).toEqual(before);
    });

    it("removes the entries it seated when the archive turns out bad", async () => {
      const bytes = edited((r) => [...r.slice(0, -1), { kind: "trailer", counts: {}, records: 1 }]);
      expect((await importCode(bytes, "globex")).code).toBe("DBUS_EXP_BAD_RECORD");
      expect(await db.countEntries("globex")).toEqual({ pending: 0, failed: 0, dead: 0, complete: 0 });
    });
  });

  describe("when the archive is truncated or damaged", () => {
    it("says DBUS_EXP_TRUNCATED for a file cut in half, and removes the half-imported client", async () => {
      const tree = await treeOf(home.dataDir);
      const { code } = await importCode(archive.slice(0, Math.floor(archive.length / 2)), "acme2");
      expect(code).toBe("DBUS_EXP_TRUNCATED");
      expect(await db.listClients()).toEqual(["acme", "globex"]);
      expect(await treeOf(home.dataDir)).toEqual(tree);
    });

    it("says DBUS_EXP_TRUNCATED for complete gzip without the closing record", async () => {
      const records = recordsOf(archive);
      const { code, message } = await importCode(archiveOf(records.slice(0, -1)), "acme2");
      expect(code).toBe("DBUS_EXP_TRUNCATED");
      expect(message).toContain(`after record ${records.length - 1} `);
    });

    it("says DBUS_EXP_NOT_ARCHIVE for a file that is not gzip, is empty, or has no header", async () => {
      expect((await importCode(new TextEncoder().encode("hello"), "x1")).code).toBe("DBUS_EXP_NOT_ARCHIVE");
      expect((await importCode(new Uint8Array(0), "x1")).code).toBe("DBUS_EXP_NOT_ARCHIVE");
      expect((await importCode(archiveOf([{ kind: "config", text: "{}" }]), "x1")).code).toBe("DBUS_EXP_NOT_ARCHIVE");
      expect(await db.listClients()).toEqual(["acme", "globex"]);
    });

    it("says DBUS_EXP_VERSION for a format version it does not know", async () => {
      const bytes = edited((r) => [{ ...r[0], version: 2 }, ...r.slice(1)]);
      expect(await importCode(bytes, "x1")).toEqual({
        code: "DBUS_EXP_VERSION",
        message: "The archive has format version 2, but this Databus reads version 1.",
      });
    });

    it("names the record that is not JSON", async () => {
      const bytes = edited((r) => [...r.slice(0, 3), "{ not json", ...r.slice(3)]);
      const { code, message } = await importCode(bytes, "acme2");
      expect(code).toBe("DBUS_EXP_BAD_RECORD");
      expect(message).toBe("Record 4 of the archive cannot be imported: it is not valid JSON.");
      expect(await db.listClients()).toEqual(["acme", "globex"]);
    });

    it("refuses a closing record whose counts disagree with the file", async () => {
      const bytes = edited((r) => {
        const trailer = r.at(-1)!;
        return [...r.slice(0, -1), { ...trailer, counts: { ...(trailer.counts as object), entries: 6 } }];
      });
      const { code, message } = await importCode(bytes, "acme2");
      expect(code).toBe("DBUS_EXP_BAD_RECORD");
      expect(message).toContain("the closing record counts 6 entries, but the file has 5");
      expect(await db.listClients()).toEqual(["acme", "globex"]);
    });

    it("refuses anything after the closing record", async () => {
      const bytes = edited((r) => [...r, { kind: "file", name: "late.txt", text: "x" }]);
      expect((await importCode(bytes, "acme2")).message).toContain("it comes after the closing record");
      expect(await db.listClients()).toEqual(["acme", "globex"]);
    });
  });

  describe("when the archive is hostile", () => {
    const withRecord = (match: (r: Record<string, unknown>) => boolean, change: (r: Record<string, unknown>) => Record<string, unknown>) =>
      edited((records) => records.map((r) => (match(r) ? change(r) : r)));

    for (const [what, bytes, into, expected] of [
      ["an attachment name that climbs out of the entry", () => withRecord((r) => r.kind === "attachment", (r) => ({ ...r, name: "../../../evil.txt" })), "acme2", "`name` has the name"],
      ["a client file name that climbs out of the client", () => withRecord((r) => r.kind === "file", (r) => ({ ...r, name: "../../evil.txt" })), "acme2", "`name` has the name"],
      ["a log id with a path in it", () => withRecord((r) => r.kind === "log", (r) => ({ ...r, id: "../../evil" })), "acme2", "`id` must be 1–64 letters"],
      ["a passenger id that is not a UUID", () => withRecord((r) => r.kind === "entry", (r) => ({ ...r, passenger: { ...(r.passenger as object), id: "../evil" } })), "acme2", "`passenger.id` must be a UUID"],
      ["a step in a state that does not exist", () => withRecord((r) => r.kind === "entry", (r) => ({ ...r, steps: [{ kind: "notify", name: "x", state: "exploded" }] })), "acme2", "`steps[0].state` must be one of"],
      ["a header naming a client id with a path in it", () => withRecord((r) => r.kind === "header", (r) => ({ ...r, client: "../../etc" })), undefined, "`client` is not a valid client id"],
      ["a user with a plain password instead of a hash", () => withRecord((r) => r.kind === "user", (r) => ({ ...r, password_hash: "hunter2" })), "acme2", "`password_hash` must be an argon2 hash"],
      ["binary content that is not base64", () => withRecord((r) => r.kind === "attachment" && r.text === false, (r) => ({ ...r, content: "<<not base64>>" })), "acme2", "must be base64"],
    ] as const) {
      it(`refuses ${what} with DBUS_EXP_BAD_RECORD and writes nothing outside`, async () => {
        const tree = await treeOf(home.dataDir);
        const result = await importCode(bytes(), into);
        expect(result.code).toBe("DBUS_EXP_BAD_RECORD");
        expect(result.message).toMatch(/^Record \d+ of the archive cannot be imported: /);
        expect(result.message).toContain(expected);
        expect(await treeOf(home.dataDir)).toEqual(tree);
      });
    }

    it("refuses a target id that is not a client id", async () => {
      expect((await importCode(archive, "../evil")).code).toBe("DBUS_CFG_BAD_CLIENT_ID");
    });

    it("refuses the same passenger twice, naming the second record", async () => {
      const records = recordsOf(archive);
      const entry = records.findIndex((r) => r.kind === "entry");
      const bytes = archiveOf([...records.slice(0, entry + 1), { ...records[entry]!, passenger: { ...(records[entry]!.passenger as object) } }, ...records.slice(entry + 1)]);
      const { code, message } = await importCode(bytes, "acme2");
      expect(code).toBe("DBUS_EXP_BAD_RECORD");
      expect(message).toContain(`Record ${entry + 2} `);
      expect(message).toContain("appears twice");
    });

    it("leaves every other client exactly as it was", async () => {
      const before = await snapshotClient(db, "acme");
      await importCode(withRecord((r) => r.kind === "log", (r) => ({ ...r, id: "../x" })), "acme2");
      expect(await snapshotClient(db, "acme")).toEqual(before);
    });
  });

  describe("when only the header is read", () => {
    it("returns the client id and counts without importing anything", async () => {
      const header = await readArchiveHeader(streamOf(archive));
      expect(header.client).toBe("acme");
      expect(header.counts.entries).toBe(5);
      expect(await db.listClients()).toEqual(["acme", "globex"]);
    });
  });
});
