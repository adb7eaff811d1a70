/**
 * The sqlite queue's batched step changes (one transaction): an entry changed several times in one
 * batch (its two pushes) ends as its last change left it, and nothing of it is lost when another of
 * its changes is refused or comes with a new passenger.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidv7 } from "../../../../src/core/ids";
import { initialSteps } from "../../../../src/core/queue-entry";
import type { Database } from "../../../../src/storage/database";
import { createSqliteDatabase } from "../../../../src/storage/sqlite";

const T0 = "2024-05-01T10:00:00.000Z";
const succeed = { action: "succeed" as const, at: T0 };
let dirs: string[] = [];
const open: Database[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A store with `count` entries seated, each notified, then one processor and two pushers to go. */
async function seated(count: number): Promise<{ file: string; db: Database; ids: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "databus-sqlite-queue-"));
  dirs.push(dir);
  const file = join(dir, "databus.sqlite");
  const db = createSqliteDatabase(file);
  open.push(db);
  await db.open();
  await db.createClient("acme", '{ "passengers": [] }');
  const ids = Array.from({ length: count }, (_, i) => uuidv7(Date.parse(T0) + i));
  await db.seat(
    "acme",
    ids.map((id, i) => ({
      passenger: { id, type: "acme/def", external_id: `e${i}`, source_system: "mail", pulled_at: T0, puller: "acme/p", payload: { i }, log_ids: [], attachments: [] },
      steps: initialSteps("acme/p", ["acme/stamp"], ["acme/push_a", "acme/push_b"], T0, true),
    })),
  );
  return { file, db, ids };
}

/** The entry as another instance reads it from the file (no cache of the writer's). */
async function fromFile(file: string, id: string) {
  const other = createSqliteDatabase(file);
  open.push(other);
  await other.open();
  return other.getEntry("acme", id);
}

const stateOf = (r: unknown) => (r instanceof Error ? (r as { code?: string }).code : (r as { steps: { state: string }[] }).steps.map((s) => s.state).join());

describe("sqlite queue, a batch of step changes", () => {
  describe("when an entry is changed twice in one batch (its two pushes)", () => {
    it("answers each change with the entry as it left it, and the file has the last (complete)", async () => {
      const { file, db, ids } = await seated(2);
      await db.updateSteps("acme", ids.map((id) => ({ id, stepIndex: 1, change: succeed })));
      const results = await db.updateSteps("acme", [
        { id: ids[0]!, stepIndex: 2, change: succeed },
        { id: ids[1]!, stepIndex: 2, change: succeed },
        { id: ids[0]!, stepIndex: 3, change: succeed },
        { id: ids[1]!, stepIndex: 3, change: succeed },
      ]);
      expect(results.map(stateOf)).toEqual(["done,done,done,pending", "done,done,done,pending", "done,done,done,done", "done,done,done,done"]);
      for (const id of ids) {
        const entry = await fromFile(file, id);
        expect(entry?.steps.map((s) => s.state)).toEqual(["done", "done", "done", "done"]);
        expect(entry?.completed_at).toBe(T0);
      }
      expect(await db.countEntries("acme")).toMatchObject({ complete: 2, pending: 0 });
    });
  });

  describe("when one of an entry's changes in the batch is refused", () => {
    it("writes the others, before and after it", async () => {
      const { file, db, ids } = await seated(1);
      const id = ids[0]!;
      const results = await db.updateSteps("acme", [
        { id, stepIndex: 1, change: succeed },
        { id, stepIndex: 1, change: succeed }, // done already: refused
        { id, stepIndex: 2, change: succeed },
      ]);
      expect(results.map(stateOf)).toEqual(["done,done,pending,pending", "DBUS_Q_ACTION_NOT_ALLOWED", "done,done,done,pending"]);
      expect((await fromFile(file, id))?.steps.map((s) => s.state)).toEqual(["done", "done", "done", "pending"]);
    });
  });

  describe("when an entry's change comes with a new passenger after a change of its steps alone", () => {
    it("keeps the earlier change, also when the passenger is refused", async () => {
      const { file, db, ids } = await seated(2);
      const [kept, refused] = ids as [string, string];
      await db.updateSteps("acme", [{ id: kept, stepIndex: 1, change: succeed }, { id: refused, stepIndex: 1, change: succeed }]);
      const results = await db.updateSteps("acme", [
        { id: kept, stepIndex: 2, change: succeed },
        { id: refused, stepIndex: 2, change: succeed },
        { id: kept, stepIndex: 3, change: succeed, passenger: { payload: { stamped: true }, attachments: [] } },
        { id: refused, stepIndex: 3, change: succeed, passenger: { payload: { bad: true }, attachments: [{ name: "../escape", content: "x" }] } },
      ]);
      expect(results.map(stateOf)).toEqual(["done,done,done,pending", "done,done,done,pending", "done,done,done,done", "DBUS_RUN_BAD_PASSENGER"]);
      expect((await fromFile(file, kept))?.steps.map((s) => s.state)).toEqual(["done", "done", "done", "done"]);
      expect((await db.getPassenger("acme", kept)).payload).toEqual({ stamped: true });
      expect((await fromFile(file, refused))?.steps.map((s) => s.state)).toEqual(["done", "done", "done", "pending"]);
      expect((await db.getPassenger("acme", refused)).payload).toEqual({ i: 1 });
    });
  });
});
