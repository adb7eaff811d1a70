import { beforeEach, describe, expect, it } from "bun:test";
import type { QueueEntry } from "../../../src/core/queue-entry";
import { Database } from "../../../src/sdk/database";
import { seatPassenger } from "../../support/web";
import { useJsonStore } from "../../support/temp-home";

const at = "2026-01-01T00:00:00.000Z";

/**
 * The base class's own updateSteps, as an engine that does not override it gets it (run here on the
 * json engine's other methods).
 */
describe("Database.updateSteps, as the base class does it", () => {
  const store = useJsonStore("databus-sdk-db-");
  let db: Database;
  const base = (updates: Parameters<Database["updateSteps"]>[1]) => Database.prototype.updateSteps.call(db, "acme", updates);
  beforeEach(() => {
    db = store();
  });

  it("applies the changes in order, each with its own result", async () => {
    const id = await seatPassenger(db, "acme", { external_id: "a" });
    const results = await base([
      { id, stepIndex: 0, change: { action: "succeed", at } },
      { id, stepIndex: 0, change: { action: "succeed", at } },
      { id, stepIndex: 1, change: { action: "succeed", at } },
    ]);
    expect((results[0] as QueueEntry).steps[0]!.state).toBe("done");
    expect((results[1] as { code?: string }).code).toBe("DBUS_Q_ACTION_NOT_ALLOWED");
    expect((results[2] as QueueEntry).completed_at).toBe(at);
  });

  it("writes a passenger change before its step, and not at all when the step change is refused", async () => {
    const id = await seatPassenger(db, "acme", { external_id: "p", notified: true, processors: ["acme/proc"], payload: { n: 1 } });
    const [refused] = await base([{ id, stepIndex: 0, change: { action: "succeed", at }, passenger: { payload: { n: 2 }, attachments: [] } }]);
    expect((refused as { code?: string }).code).toBe("DBUS_Q_ACTION_NOT_ALLOWED");
    expect((await db.getPassenger("acme", id)).payload).toEqual({ n: 1 });
    const [done] = await base([{ id, stepIndex: 1, change: { action: "succeed", at }, passenger: { payload: { n: 3 }, attachments: [] } }]);
    expect((done as QueueEntry).steps[1]!.state).toBe("done");
    expect((await db.getPassenger("acme", id)).payload).toEqual({ n: 3 });
  });
});
