/**
 * /metrics after real runs: a dispatcher over a json store in a temp home runs a definition whose
 * pusher delivers one passenger and rejects the other for good (dead); the page is parsed strictly.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { Dispatcher } from "../../src/dispatcher/dispatcher";
import { PluginRegistry, type PluginKind } from "../../src/plugins/registry";
import { Passenger, Puller, Pusher, UnrecoverableError } from "../../src/sdk/index";
import type { Database } from "../../src/storage/database";
import { createJsonDatabase } from "../../src/storage/json/index";
import { createApp } from "../../src/web/app";
import { parsePrometheusText, valueOf } from "../support/prometheus";
import { createTempHome, type TempHome } from "../support/temp-home";

class Item extends Passenger<{ n: number }> {}
let batch = 0;
class TwoPerRun extends Puller<Item> {
  pull() {
    batch++;
    return ["keep", "reject"].map((k, n) => new Item({ external_id: `${k}-${batch}`, source_system: "shop", payload: { n } }));
  }
}
class PickyPusher extends Pusher<Item> {
  push(p: Item) {
    if (p.external_id.startsWith("reject")) throw new UnrecoverableError(`no place for ${p.external_id}`);
  }
}

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  const add = (name: string, kind: PluginKind, cls: unknown) => r.set({ status: "loaded", name, kind, file: null, cls: cls as never });
  add("test/item", "passenger", Item);
  add("test/two_per_run", "puller", TwoPerRun);
  add("test/picky_pusher", "pusher", PickyPusher);
  return r;
}

const CONFIG = JSON.stringify({ passengers: [{ name: "test/item", pullers: ["test/two_per_run"], pushers: ["test/picky_pusher"], sync_frequency: "1h" }] });

describe("/metrics", () => {
  let home: TempHome;
  let db: Database;
  let dispatcher: Dispatcher;
  const clock = { now: () => Date.now() };

  beforeEach(async () => {
    home = await createTempHome("databus-metrics-");
    db = createJsonDatabase(home.dataDir, { clock });
    await db.open();
    await db.createClient("acme", CONFIG);
    await db.createClient("zeta-2", CONFIG);
    dispatcher = new Dispatcher({ db, registry: registry(), clock, home: home.home, tickMs: 3_600_000, concurrency: 4, graceMs: 1000 });
  });
  afterEach(async () => {
    await dispatcher.shutdown();
    await db.close();
    await home.cleanup();
  });

  const scrape = async (app: ReturnType<typeof createApp>, headers: Record<string, string> = {}) =>
    app.handle(new Request("http://localhost/metrics", { headers }));

  describe("after real runs", () => {
    it("counts pulled, pushed, failed and dead per client and definition, runs by outcome, durations and queue states", async () => {
      const app = createApp({ db, dispatcher, settings: { alias: "" }, version: "0.0.0-test", clock });
      // The first tick runs both clients; then acme once more.
      dispatcher.start();
      await dispatcher.idle();
      await dispatcher.runNow("acme", "test/item");
      await dispatcher.idle();

      const res = await scrape(app);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const m = parsePrometheusText(await res.text());
      const acme = { client: "acme", definition: "test/item" };
      expect(valueOf(m, "databus_passengers_pulled_total", acme)).toBe(4);
      expect(valueOf(m, "databus_passengers_pushed_total", acme)).toBe(2);
      expect(valueOf(m, "databus_passengers_failed_total", acme)).toBe(2);
      expect(valueOf(m, "databus_passengers_dead_total", acme)).toBe(2);
      expect(valueOf(m, "databus_runs_total", { ...acme, outcome: "error" })).toBe(2);
      expect(valueOf(m, "databus_run_duration_seconds", acme, "databus_run_duration_seconds_count")).toBe(2);
      expect(valueOf(m, "databus_run_duration_seconds", acme, "databus_run_duration_seconds_sum")).toBeGreaterThanOrEqual(0);
      expect(valueOf(m, "databus_passengers_pulled_total", { client: "zeta-2", definition: "test/item" })).toBe(2);
      expect(valueOf(m, "databus_queue_entries", { client: "acme", state: "complete" })).toBe(2);
      expect(valueOf(m, "databus_queue_entries", { client: "acme", state: "dead" })).toBe(2);
      expect(valueOf(m, "databus_queue_entries", { client: "zeta-2", state: "dead" })).toBe(1);
      expect(valueOf(m, "databus_queue_entries", { client: "acme", state: "pending" })).toBe(0);
      expect(valueOf(m, "databus_up", {})).toBe(1);
      expect(valueOf(m, "databus_dispatcher_state", { state: "running" })).toBe(1);
      expect(valueOf(m, "databus_dispatcher_state", { state: "idle" })).toBe(0);
      for (const f of ["databus_passengers_pulled_total", "databus_runs_total"]) expect(m.get(f)!.type).toBe("counter");
      expect(m.get("databus_queue_entries")!.type).toBe("gauge");
    });
  });

  describe("when the store does not answer", () => {
    it("still answers, with databus_up 0 and no queue samples", async () => {
      const broken = Object.create(db) as Database;
      broken.listClients = async () => {
        throw new Error("connection refused");
      };
      const app = createApp({ db: broken, dispatcher, settings: { alias: "" }, version: "0.0.0-test", clock });
      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void errors.push(args);
      try {
        const m = parsePrometheusText(await (await scrape(app)).text());
        expect(valueOf(m, "databus_up", {})).toBe(0);
        expect(m.get("databus_queue_entries")!.samples).toEqual([]);
        expect(errors.length).toBe(1);
      } finally {
        console.error = original;
      }
    });
  });

  describe("when metrics_token is set", () => {
    it("answers 401 without the bearer token or with a wrong one, and 200 with it", async () => {
      const app = createApp({ db, dispatcher, settings: { alias: "", metricsToken: "s3cret-token" }, version: "0.0.0-test", clock });
      const none = await scrape(app);
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toStartWith("Bearer");
      expect(await none.text()).not.toContain("s3cret");
      expect((await scrape(app, { authorization: "Bearer wrong" })).status).toBe(401);
      expect((await scrape(app, { authorization: "Bearer s3cret-token" })).status).toBe(200);
    });
  });
});
