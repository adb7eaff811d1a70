import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { uuidv7 } from "../../../../src/core/ids";
import { initialSteps } from "../../../../src/core/queue-entry";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json";
import { Layout } from "../../../../src/storage/json/layout";
import { REBUILD_READS, rebuildIndex } from "../../../../src/storage/json/queue-index";
import { SNAPSHOT_FILE } from "../../../../src/storage/json/queue-snapshot";
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

  /** `count` entry folders made by hand from the seated entry's files (the store closed); their ids. */
  async function copiesOfTheSeated(count: number, statusOf = (status: string, _i: number) => status): Promise<string[]> {
    const [seated] = await readdir(queueDir());
    const passenger = JSON.parse(readFileSync(join(queueDir(), seated!, "passenger.json"), "utf8"));
    const status = readFileSync(join(queueDir(), seated!, "status.json"), "utf8");
    const ids = Array.from({ length: count }, (_, i) => uuidv7(Date.parse(AT) + i + 1));
    ids.forEach((id, i) => {
      mkdirSync(join(queueDir(), id));
      writeFileSync(join(queueDir(), id, "passenger.json"), JSON.stringify({ ...passenger, id, external_id: `x${i + 1}` }));
      writeFileSync(join(queueDir(), id, "status.json"), statusOf(status, i));
    });
    return ids;
  }

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

  describe("when an index is rebuilt from more folders than are read at once", () => {
    it("indexes every entry and reports each damaged one, in several slices of reads side by side", async () => {
      await db.close();
      // Every 25th is damaged: its status.json cut short.
      const ids = await copiesOfTheSeated(3 * REBUILD_READS, (status, i) => (i % 25 === 7 ? status.slice(0, 20) : status));
      const { index, damaged } = await rebuildIndex(new Layout(home.dataDir), "acme", { slice: REBUILD_READS + 5 });
      const bad = ids.filter((_, i) => i % 25 === 7);
      expect(damaged.map((d) => d.id).sort()).toEqual(bad.sort());
      expect(damaged.every((d) => d.reason === "status.json is not valid JSON (cut short or damaged)")).toBe(true);
      expect(index.size).toBe(ids.length + 1 - bad.length);
    });
  });

  describe("when there is no index snapshot and every entry folder is read", () => {
    it("says how far it is while it reads, letting other work run between slices, and is ready after", async () => {
      await db.close();
      await copiesOfTheSeated(5);
      rmSync(join(home.dataDir, SNAPSHOT_FILE), { force: true });
      // Two folders a turn instead of REBUILD_SLICE: the same code, without making thousands of folders.
      db = createJsonDatabase(home.dataDir, { rebuildSlice: 2 });
      const seen: string[] = [];
      let opening = true;
      const watch = () => {
        const now = db.status();
        if (!now.ready && seen.at(-1) !== now.text) seen.push(now.text);
        if (opening) setImmediate(watch);
      };
      watch();
      await db.open().finally(() => (opening = false));
      expect(seen).toContain("no index snapshot: reading the entry folders of client acme, 2 of 6");
      expect(seen).toContain("no index snapshot: reading the entry folders of client acme, 4 of 6");
      expect(db.status()).toEqual({ ready: true, text: "ready" });
      expect((await db.listEntries("acme", {}, { offset: 0, limit: 1 })).total).toBe(6);
    });
  });
});
