/** The folder drivers through the real pipeline: json store, built-in registry, dispatcher. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Clock } from "../../../../src/core/clock";
import { Dispatcher } from "../../../../src/dispatcher/dispatcher";
import { loadPlugins } from "../../../../src/plugins/load";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../../support/temp-home";

const CONFIG = {
  passengers: [
    {
      name: "databus/files/document",
      pullers: [{ name: "databus/files/folder_puller", options: { folder: "in", read_as: "attachment", patterns: ["*.csv"] } }],
      pushers: [{ name: "databus/files/folder_pusher", options: { folder: "out", write: "attachments", naming: "original" } }],
      sync_frequency: "1m",
    },
  ],
};

describe("folder_puller → folder_pusher through the dispatcher", () => {
  let t: TempHome;
  let db: Database;
  let d: Dispatcher;
  let now = Date.parse("2026-06-01T09:00:00Z");
  const clock: Clock = { now: () => now };

  beforeEach(async () => {
    t = await createTempHome("databus-folder-run-");
    await mkdir(join(t.home, "in"));
    await mkdir(join(t.home, "out"));
    db = createJsonDatabase(t.dataDir, { clock });
    await db.open();
    await db.createClient("acme", JSON.stringify(CONFIG));
    d = new Dispatcher({ db, registry: await loadPlugins(t.home), clock, home: t.home, tickMs: 3_600_000, concurrency: 1, graceMs: 1000, random: () => 0 });
  });
  afterEach(async () => {
    await d.shutdown();
    await db.close();
    await t.cleanup();
  });

  it("delivers each file once, moves the originals to done/, and picks up only new files on the next run", async () => {
    await writeFile(join(t.home, "in/a.csv"), "1;2\n");
    await writeFile(join(t.home, "in/b.csv"), "3;4\n");
    d.start();
    await d.idle();
    expect((await readdir(join(t.home, "out"))).sort()).toEqual(["a.csv", "b.csv"]);
    expect(await readFile(join(t.home, "out/b.csv"), "utf8")).toBe("3;4\n");
    expect((await readdir(join(t.home, "in/done"))).sort()).toEqual(["a.csv", "b.csv"]);
    expect(await db.countEntries("acme")).toMatchObject({ complete: 2, failed: 0, dead: 0 });

    await writeFile(join(t.home, "in/c.csv"), "5;6\n");
    now += 61_000;
    await d.tick();
    await d.idle();
    expect((await readdir(join(t.home, "out"))).sort()).toEqual(["a.csv", "b.csv", "c.csv"]);
    expect(await db.countEntries("acme")).toMatchObject({ complete: 3 });
  });
});
