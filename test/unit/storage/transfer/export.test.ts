/** exportClient: the archive's records, their order, encodings and counts, progress, and failures. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json/index";
import { exportClient } from "../../../../src/storage/transfer/export";
import { archiveFileName, type TransferProgress } from "../../../../src/storage/transfer/format";
import { createTempHome, type TempHome } from "../../../support/temp-home";
import { EXPORTED_AT, exportBytes, recordsOf } from "./archive-bytes";
import { BINARY, fillClient } from "./filled-client";

let home: TempHome;
let db: Database;

beforeEach(async () => {
  home = await createTempHome("databus-export-");
  db = createJsonDatabase(home.dataDir);
  await db.open();
  await fillClient(db, "acme");
});
afterEach(async () => {
  await db.close();
  await home.cleanup();
});

describe("exportClient", () => {
  describe("when a client with everything is exported", () => {
    it("writes header, backups, config, files, users, entries with attachments, logs and a trailer, in that order", async () => {
      const records = recordsOf(await exportBytes(db, "acme"));
      const kinds = records.map((r) => r.kind as string).filter((k, i, all) => k !== all[i - 1]);
      expect(kinds.slice(0, 6)).toEqual(["header", "backup", "config", "file", "user", "entry"]);
      expect(kinds.at(-1)).toBe("trailer");
      expect(records[0]).toEqual({
        kind: "header",
        format: "databus-client-archive",
        version: 1,
        client: "acme",
        exported_at: EXPORTED_AT,
        databus_version: "9.9.9-test",
        engine: "json",
        counts: { backups: 2, files: 2, users: 2, entries: 5, attachments: 0, logs: 3, log_entries: 0 },
      });
      expect(records.at(-1)).toEqual({
        kind: "trailer",
        counts: { backups: 2, files: 2, users: 2, entries: 5, attachments: 10, logs: 3, log_entries: 1205 },
        records: records.length - 1,
      });
    });

    it("writes text attachments as text and binary ones as base64, right after their entry", async () => {
      const records = recordsOf(await exportBytes(db, "acme"));
      const first = records.findIndex((r) => r.kind === "entry");
      const id = (records[first]!.passenger as { id: string }).id;
      const attachments = records.slice(first + 1, first + 3);
      expect(attachments.map((a) => [a.kind, a.entry, a.name, a.text]).sort()).toEqual([
        ["attachment", id, "blob.bin", false],
        ["attachment", id, "note.txt", true],
      ]);
      const blob = attachments.find((a) => a.name === "blob.bin")!;
      expect(new Uint8Array(Buffer.from(blob.content as string, "base64"))).toEqual(BINARY);
      expect(attachments.find((a) => a.name === "note.txt")!.content).toContain("text of pending ✓");
    });

    it("splits a long log into chunks of at most 500 entries", async () => {
      const records = recordsOf(await exportBytes(db, "acme"));
      const long = records.find((r) => r.kind === "log" && r.title === "a long run")!;
      expect(long.entries).toBe(1203);
      const chunks = records.filter((r) => r.kind === "log_entries" && r.log === long.id);
      expect(chunks.map((c) => (c.entries as unknown[]).length)).toEqual([500, 500, 203]);
    });

    it("reports progress until every entry and log is done", async () => {
      const seen: TransferProgress[] = [];
      await exportBytes(db, "acme", (p) => seen.push(structuredClone(p)));
      expect(seen[0]).toEqual({ phase: "config", entries: { done: 0, total: 5 }, logs: { done: 0, total: 3 } });
      expect(seen.filter((p) => p.phase === "entries").map((p) => p.entries.done)).toEqual([1, 2, 3, 4, 5]);
      expect(seen.at(-1)).toEqual({ phase: "done", entries: { done: 5, total: 5 }, logs: { done: 3, total: 3 } });
    });
  });

  describe("when the client does not exist", () => {
    it("raises DBUS_CFG_CLIENT_NOT_FOUND and aborts the stream instead of closing it", async () => {
      const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
      const consumed = new Response(readable).arrayBuffer().then(
        () => "closed",
        () => "aborted",
      );
      let code: string | undefined;
      await exportClient(db, "nobody", writable).catch((e) => (code = e.code));
      expect(code).toBe("DBUS_CFG_CLIENT_NOT_FOUND");
      expect(await consumed).toBe("aborted");
    });
  });

  describe("when the file is named", () => {
    it("uses the client id and a portable time", () => {
      expect(archiveFileName("acme", "2025-01-15T10:00:00.123Z")).toBe("acme-2025-01-15T10-00-00Z.databus.gz");
    });
  });
});
