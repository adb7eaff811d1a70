import { afterEach, describe, expect, it } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initialSteps } from "../../../../src/core/queue-entry";
import { uuidv7 } from "../../../../src/core/ids";
import { createSqliteDatabase } from "../../../../src/storage/sqlite";

const T0 = "2024-05-01T10:00:00.000Z";
const CONFIG = '{ "passengers": [] }';
let n = 0;
const request = (type = "acme/def") => {
  const id = uuidv7(Date.parse(T0) + ++n);
  return {
    passenger: { id, type, external_id: `ext-${n}`, source_system: "mail", pulled_at: T0, puller: "acme/p", payload: { n }, log_ids: [], attachments: [] },
    steps: initialSteps("acme/p", [], [], T0),
  };
};
const codeOf = async (p: Promise<unknown>) => p.then(() => undefined, (e) => (e as { code?: string }).code);

let dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), "databus-sqlite-engine-"));
  dirs.push(dir);
  return join(dir, "databus.sqlite");
};
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe("sqlite engine", () => {
  describe("when opened on :memory:", () => {
    it("works as a full store without a file", async () => {
      const db = createSqliteDatabase(":memory:");
      await db.open();
      await db.createClient("acme", CONFIG);
      expect((await db.seat("acme", [request()])).seated).toHaveLength(1);
      expect(db.engine).toBe("sqlite");
      await db.close();
    });
  });

  describe("when opened read-only beside a writer", () => {
    it("reads what the writer stored and refuses to write with a catalogue code", async () => {
      const file = tempFile();
      const writer = createSqliteDatabase(file);
      await writer.open();
      await writer.createClient("acme", CONFIG);
      const r = request();
      await writer.seat("acme", [r]);
      const reader = createSqliteDatabase(file);
      await reader.open({ readOnly: true });
      expect(await reader.listClients()).toEqual(["acme"]);
      expect((await reader.getEntry("acme", r.passenger.id))?.passenger.external_id).toBe(r.passenger.external_id);
      expect(await codeOf(reader.seat("acme", [request()]))).toBe("DBUS_STO_WRITE_FAILED");
      await reader.close();
      await writer.close();
    });

    it("creates nothing when the file does not exist", async () => {
      const file = tempFile();
      const reader = createSqliteDatabase(file);
      expect(await codeOf(reader.open({ readOnly: true }))).toBe("DBUS_STO_WRITE_FAILED");
      expect(existsSync(file)).toBe(false);
    });
  });

  describe("when entries are purged, deleted or their client re-created", () => {
    it("keeps the counts and totals in step with the queue", async () => {
      const db = createSqliteDatabase(tempFile());
      await db.open();
      await db.createClient("acme", CONFIG);
      const [a, b, c] = [request(), request(), request("acme/other")];
      await db.seat("acme", [a, b, c]);
      await db.updateStep("acme", a.passenger.id, 0, { action: "succeed", at: T0 });
      await db.updateStep("acme", b.passenger.id, 0, { action: "succeed", at: T0 });
      expect(await db.countEntries("acme", "acme/def")).toEqual({ pending: 0, failed: 0, dead: 0, complete: 2 });
      expect(await db.purgeCompleted("acme", "acme/def", "2025-01-01T00:00:00.000Z")).toBe(2);
      expect(await db.countEntries("acme")).toEqual({ pending: 1, failed: 0, dead: 0, complete: 0 });
      expect((await db.listEntries("acme", {}, { offset: 0, limit: 10 })).total).toBe(1);
      await db.deleteClient("acme");
      await db.createClient("acme", CONFIG);
      expect(await db.countEntries("acme")).toEqual({ pending: 0, failed: 0, dead: 0, complete: 0 });
      await db.close();
    });
  });
});
