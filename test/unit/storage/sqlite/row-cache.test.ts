import { afterEach, describe, expect, it, spyOn } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidv7 } from "../../../../src/core/ids";
import { initialSteps } from "../../../../src/core/queue-entry";
import { createSqliteDatabase } from "../../../../src/storage/sqlite";
import { Connection } from "../../../../src/storage/sqlite/connection";
import { QueueReads, type StoredRow } from "../../../../src/storage/sqlite/queue-reads";
import { RowCache } from "../../../../src/storage/sqlite/row-cache";

const T0 = "2024-05-01T10:00:00.000Z";
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), "databus-row-cache-"));
  dirs.push(dir);
  return join(dir, "databus.sqlite");
};

const row = (id: string, dueAt: string | null = "", payload = "{}"): StoredRow =>
  ({ client: "acme", id, payload, logIds: "[]", steps: "[]", state: dueAt === null ? "complete" : "pending", dueAt, infos: "[]" }) as StoredRow;

/** Two engines on one file (two instances sharing it); `a` has seated one entry, payload { v: 1 }. */
async function twoInstancesWithAnEntry(processors: string[]) {
  const file = tempFile();
  const a = createSqliteDatabase(file);
  const b = createSqliteDatabase(file);
  await a.open();
  await b.open();
  await a.createClient("acme", '{ "passengers": [] }');
  const id = uuidv7(Date.parse(T0));
  const passenger = { id, type: "acme/def", external_id: "e1", source_system: "mail", pulled_at: T0, puller: "acme/p", payload: { v: 1 }, log_ids: [], attachments: [] };
  await a.seat("acme", [{ passenger, steps: initialSteps("acme/p", processors, ["acme/push"], T0) }]);
  return { a, b, id };
}

function cacheOn(file: string, limits?: { rows: number; text: number }): { conn: Connection; cache: RowCache } {
  const conn = new Connection(file);
  conn.client.run("CREATE TABLE IF NOT EXISTS t (v TEXT)");
  return { conn, cache: new RowCache(conn, limits) };
}

describe("sqlite row cache", () => {
  describe("when a write commits", () => {
    it("gives the next write the rows it kept, and forgets rows with nothing due", async () => {
      const { conn, cache } = cacheOn(tempFile());
      try {
        cache.write(() => {
          cache.keep("acme", "a", row("a"));
          cache.keep("acme", "b", row("b", null));
          // Inside the write, its own changes are seen at once.
          expect(cache.get("acme", "a")?.id).toBe("a");
        });
        cache.write(() => {
          expect(cache.get("acme", "a")?.id).toBe("a");
          expect(cache.get("acme", "b")).toBeUndefined();
          expect(cache.get("other", "a")).toBeUndefined();
        });
      } finally {
        await conn.close();
      }
    });

    it("keeps at most its limit of rows, dropping the rows written longest ago", async () => {
      const { conn, cache } = cacheOn(tempFile(), { rows: 2, text: 1_000_000 });
      try {
        cache.write(() => cache.keep("acme", "a", row("a")));
        cache.write(() => cache.keep("acme", "b", row("b")));
        cache.write(() => cache.keep("acme", "a", row("a"))); // a is written again: b is now the oldest
        cache.write(() => cache.keep("acme", "c", row("c")));
        cache.write(() => expect(["a", "b", "c"].map((id) => cache.get("acme", id)?.id)).toEqual(["a", undefined, "c"]));
      } finally {
        await conn.close();
      }
    });

    it("keeps at most its limit of text, and never a row larger than all of it", async () => {
      const { conn, cache } = cacheOn(tempFile(), { rows: 100, text: 5_000 });
      try {
        cache.write(() => cache.keep("acme", "a", row("a", "", "x".repeat(2_000))));
        cache.write(() => cache.keep("acme", "b", row("b", "", "x".repeat(2_000))));
        cache.write(() => cache.keep("acme", "huge", row("huge", "", "x".repeat(10_000))));
        cache.write(() => cache.keep("acme", "c", row("c", "", "x".repeat(2_000)))); // a goes: three would be over 5,000
        cache.write(() => expect(["a", "b", "huge", "c"].map((id) => cache.get("acme", id)?.id)).toEqual([undefined, "b", undefined, "c"]));
      } finally {
        await conn.close();
      }
    });
  });

  describe("when a write fails", () => {
    it("forgets every row it touched, kept before or not", async () => {
      const { conn, cache } = cacheOn(tempFile());
      try {
        cache.write(() => cache.keep("acme", "a", row("a")));
        expect(() =>
          cache.write(() => {
            cache.keep("acme", "a", { ...row("a"), steps: "[1]" });
            cache.keep("acme", "b", row("b"));
            throw new Error("refused");
          }),
        ).toThrow("refused");
        cache.write(() => {
          expect(cache.get("acme", "a")).toBeUndefined();
          expect(cache.get("acme", "b")).toBeUndefined();
        });
      } finally {
        await conn.close();
      }
    });
  });

  describe("when another connection commits", () => {
    it("empties itself before the next write uses it", async () => {
      const file = tempFile();
      const { conn, cache } = cacheOn(file);
      const other = new Connection(file);
      try {
        cache.write(() => cache.keep("acme", "a", row("a")));
        other.write(() => other.client.run("INSERT INTO t VALUES ('x')"));
        cache.write(() => expect(cache.get("acme", "a")).toBeUndefined());
      } finally {
        await other.close();
        await conn.close();
      }
    });

    it("a step change made by another instance is not undone by this one's next change (engine)", async () => {
      const { a, b, id } = await twoInstancesWithAnEntry(["acme/proc"]);
      try {
        await b.updateStep("acme", id, 1, { action: "fail", at: T0, error: "down", nextAttemptAt: null });
        // Retrying is allowed only from failed: this instance must see the other's change, not the seat it remembers.
        const entry = await a.updateStep("acme", id, 1, { action: "retry", at: T0 });
        expect(entry.steps[1]).toMatchObject({ state: "pending", last_error: "down" });
      } finally {
        await b.close();
        await a.close();
      }
    });
  });

  describe("when entries are read outside a write (engine)", () => {
    it("serves what this instance just wrote, and sees another instance's change from the next event-loop turn", async () => {
      const { a, b, id } = await twoInstancesWithAnEntry([]);
      const reads = spyOn(QueueReads.prototype, "entryRow");
      try {
        expect((await a.getEntry("acme", id))?.passenger.payload).toEqual({ v: 1 });
        expect(reads).not.toHaveBeenCalled();
        await b.updateStep("acme", id, 1, { action: "fail", at: T0, error: "down", nextAttemptAt: T0 });
        await new Promise((r) => setImmediate(r));
        expect((await a.getEntry("acme", id))?.steps[1]).toMatchObject({ state: "failed", last_error: "down" });
        expect((await a.getPassenger("acme", id)).payload).toEqual({ v: 1 });
      } finally {
        reads.mockRestore();
        await b.close();
        await a.close();
      }
    });
  });

  describe("when the pipeline changes the steps of entries it just seated (engine)", () => {
    it("does not read their rows back", async () => {
      const db = createSqliteDatabase(tempFile());
      await db.open();
      const reads = spyOn(QueueReads.prototype, "entryRow");
      try {
        await db.createClient("acme", '{ "passengers": [] }');
        const ids = [1, 2, 3].map((i) => uuidv7(Date.parse(T0) + i));
        await db.seat(
          "acme",
          ids.map((id, i) => ({
            passenger: { id, type: "acme/def", external_id: `e${i}`, source_system: "mail", pulled_at: T0, puller: "acme/p", payload: { i }, log_ids: [], attachments: [] },
            steps: initialSteps("acme/p", [], ["acme/push"], T0),
          })),
        );
        reads.mockClear();
        const done = await db.updateSteps(
          "acme",
          ids.flatMap((id) => [0, 1].map((stepIndex) => ({ id, stepIndex, change: { action: "succeed" as const, at: T0 } }))),
        );
        // Each entry's second change saw its first (made in the same write).
        const last = done.filter((_, i) => i % 2 === 1);
        expect(last.map((e) => (e instanceof Error ? e.message : e.steps.map((s) => s.state).join()))).toEqual(ids.map(() => "done,done"));
        expect(reads).not.toHaveBeenCalled();
        // Complete entries are not kept: a later change reads the row (and is refused, the step being done).
        expect(((await db.updateSteps("acme", [{ id: ids[0]!, stepIndex: 1, change: { action: "succeed", at: T0 } }]))[0] as { code?: string }).code).toBe(
          "DBUS_Q_ACTION_NOT_ALLOWED",
        );
        expect(reads).toHaveBeenCalledTimes(1);
      } finally {
        reads.mockRestore();
        await db.close();
      }
    });
  });
});
