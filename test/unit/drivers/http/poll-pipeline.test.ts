/** The poll puller through the real pipeline: its cursor lives in the plugin state of the json store. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Clock } from "../../../../src/core/clock";
import { Dispatcher } from "../../../../src/dispatcher/dispatcher";
import { loadPlugins } from "../../../../src/plugins/load";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe("poll_puller through the dispatcher", () => {
  let t: TempHome;
  let db: Database;
  let d: Dispatcher;
  let server: ReturnType<typeof Bun.serve>;
  let items: Array<{ id: number }> = [];
  const asked: string[] = [];
  let now = Date.parse("2026-06-01T09:00:00Z");
  const clock: Clock = { now: () => now };

  beforeEach(async () => {
    items = [1, 2, 3].map((id) => ({ id }));
    asked.length = 0;
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(req) {
        const since = new URL(req.url).searchParams.get("since");
        asked.push(since ?? "");
        return Response.json({ items: items.filter((i) => i.id > Number(since ?? 0)).slice(0, 2) });
      },
    });
    t = await createTempHome("databus-poll-run-");
    db = createJsonDatabase(t.dataDir, { clock });
    await db.open();
    const definition = {
      name: "databus/http/item",
      pullers: [{ name: "databus/http/poll_puller", options: { url: `http://127.0.0.1:${server.port}/items`, items_path: "items", cursor_param: "since" } }],
      pushers: ["databus/demo/pusher_1"],
      sync_frequency: "1m",
    };
    await db.createClient("acme", JSON.stringify({ passengers: [definition] }));
    d = new Dispatcher({ db, registry: await loadPlugins(t.home), clock, home: t.home, tickMs: 3_600_000, concurrency: 1, graceMs: 1000, random: () => 0 });
  });
  afterEach(async () => {
    await d.shutdown();
    await db.close();
    server.stop(true);
    await t.cleanup();
  });

  it("seats every item on the first run and only the new ones on the second, from the saved cursor", async () => {
    d.start();
    await d.idle();
    expect(asked).toEqual(["", "2", "3"]);
    expect(await db.countEntries("acme")).toMatchObject({ complete: 3 });

    items.push({ id: 4 });
    asked.length = 0;
    now += 61_000;
    await d.tick();
    await d.idle();
    expect(asked).toEqual(["3", "4"]);
    const ids = (await db.listEntries("acme", {}, { offset: 0, limit: 10 })).entries.map((e) => e.passenger.external_id).sort();
    expect(ids).toEqual(["1", "2", "3", "4"]);
  });
});
