import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { uuidv7 } from "../../../../src/core/ids";
import { initialSteps } from "../../../../src/core/queue-entry";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json";
import { createTempHome, type TempHome } from "../../../support/temp-home";

const AT = "2024-05-01T10:00:00.000Z";

describe("json queue index", () => {
  let home: TempHome;
  let db: Database;
  const queueDir = () => join(home.dataDir, "clients", "acme", "queue");
  beforeEach(async () => {
    home = await createTempHome();
    db = createJsonDatabase(home.dataDir);
    await db.open();
    await db.createClient("acme", "{}");
    const passenger = { id: uuidv7(Date.now()), type: "t", external_id: "1", source_system: "s", pulled_at: AT, puller: "acme/p", payload: {}, log_ids: [], attachments: [] };
    await db.seat("acme", [{ passenger, steps: initialSteps("acme/p", [], [], AT) }]);
  });
  afterEach(async () => {
    await db.close();
    await home.cleanup();
  });

  describe("when a crash left a half-written entry folder and a corrupt entry", () => {
    it("sweeps the temp folder, quarantines the corrupt entry and lists the good one", async () => {
      await db.close();
      await mkdir(join(queueDir(), ".tmp-half-written"), { recursive: true });
      const corrupt = uuidv7(Date.now() + 1);
      await mkdir(join(queueDir(), corrupt));
      await writeFile(join(queueDir(), corrupt, "status.json"), "{ not json");
      db = createJsonDatabase(home.dataDir);
      await db.open();
      expect((await readdir(queueDir())).filter((n) => n.startsWith("."))).toEqual([]);
      expect((await db.listEntries("acme", {}, { offset: 0, limit: 10 })).total).toBe(1);
      expect(await db.getEntry("acme", corrupt)).toBeUndefined();
      expect(await readdir(queueDir())).not.toContain(corrupt);
      expect((await readdir(join(home.dataDir, "clients", "acme", "quarantine"))).some((n) => n.endsWith(`_queue_${corrupt}`))).toBe(true);
    });
  });
});
