/**
 * Observers against a real local HTTP server: real runs of a dispatcher over a json store; one
 * webhook message per incident, then one recovery; incident state survives a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { Dispatcher } from "../../../src/dispatcher/dispatcher";
import { ObserverService } from "../../../src/observers/service";
import { signBody } from "../../../src/observers/webhook";
import { PluginRegistry, type PluginKind } from "../../../src/plugins/registry";
import { Passenger, Puller, Pusher, UnrecoverableError } from "../../../src/sdk/index";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

class Item extends Passenger<{ n: number }> {}
let serial = 0;
/** What the pusher does with the next passengers. */
let mode: "deliver" | "fail" | "reject" = "deliver";
class OnePerRun extends Puller<Item> {
  pull() {
    return [new Item({ external_id: `item-${++serial}`, source_system: "shop", payload: { n: serial } })];
  }
}
class ModalPusher extends Pusher<Item> {
  push(p: Item) {
    if (mode === "fail") throw new Error(`target down for ${p.external_id}`);
    if (mode === "reject") throw new UnrecoverableError(`target refuses ${p.external_id}`);
  }
}

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  const add = (name: string, kind: PluginKind, cls: unknown) => r.set({ status: "loaded", name, kind, file: null, cls: cls as never });
  add("test/item", "passenger", Item);
  add("test/one_per_run", "puller", OnePerRun);
  add("test/modal_pusher", "pusher", ModalPusher);
  return r;
}

interface Received {
  body: Record<string, unknown>;
  raw: string;
  signature: string | null;
}

describe("ObserverService", () => {
  let home: TempHome;
  let db: Database;
  let server: ReturnType<typeof Bun.serve>;
  let received: Received[];
  let now: number;
  const clock = { now: () => now };
  let dispatcher: Dispatcher;
  let observers: ObserverService;
  const reports: string[] = [];

  const config = (on: string[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      passengers: [{ name: "test/item", pullers: ["test/one_per_run"], pushers: ["test/modal_pusher"], sync_frequency: "1m" }],
      observers: [{ name: "ops", on, webhook: { url: `http://127.0.0.1:${server.port}/hook`, secret: "hook-secret" }, ...extra }],
    });

  /** A fresh dispatcher and observer service on the same store: what a restart gives. */
  const boot = () => {
    dispatcher = new Dispatcher({ db, registry: registry(), clock, home: home.home, tickMs: 3_600_000, concurrency: 2, graceMs: 1000 });
    observers = new ObserverService({ db, dispatcher, clock, report: (l) => reports.push(l) });
    dispatcher.start();
  };
  const run = async () => {
    now += 1000;
    await dispatcher.runNow("acme", "test/item");
    await dispatcher.idle();
    await observers.idle();
  };
  const restart = async () => {
    await dispatcher.shutdown();
    await observers.stop();
    boot();
    await dispatcher.idle();
    await observers.idle();
  };

  beforeEach(async () => {
    received = [];
    reports.length = 0;
    mode = "deliver";
    now = Date.parse("2026-03-01T08:00:00Z");
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(req) {
        const raw = await req.text();
        received.push({ raw, body: JSON.parse(raw), signature: req.headers.get("x-databus-signature") });
        return new Response("thanks");
      },
    });
    home = await createTempHome("databus-observers-");
    db = createJsonDatabase(home.dataDir, { clock });
    await db.open();
  });
  afterEach(async () => {
    await dispatcher?.shutdown();
    await observers?.stop();
    await db.close();
    server.stop(true);
    await home.cleanup();
  });

  describe("when runs end with errors", () => {
    it("posts one signed incident, nothing more while it lasts (also after a restart), then one recovery", async () => {
      await db.createClient("acme", config(["run_errors"]));
      boot();
      await dispatcher.idle();
      await observers.idle();
      expect(received).toEqual([]);

      mode = "fail";
      await run();
      await run();
      expect(received.length).toBe(1);
      const incident = received[0]!;
      expect(incident.body).toMatchObject({ type: "incident", event: "run_errors", client: "acme", definition: "test/item", observer: "ops" });
      expect(incident.body.summary).toBe("A run of test/item ended with errors (1 failed step).");
      expect(incident.signature).toBe(signBody(incident.raw, "hook-secret"));

      await restart();
      await run();
      expect(received.length).toBe(1);

      mode = "deliver";
      await run();
      expect(received.length).toBe(2);
      expect(received[1]!.body).toMatchObject({ type: "recovery", event: "run_errors", client: "acme", opened_at: incident.body.opened_at });
      await run();
      expect(received.length).toBe(2);
      expect(reports).toEqual([]);
    });
  });

  describe("when entries go dead", () => {
    it("posts once for the definition however many die, and a recovery once none is dead", async () => {
      await db.createClient("acme", config(["entry_dead"]));
      mode = "reject";
      boot();
      await dispatcher.idle();
      await observers.idle();
      await run();
      expect((await db.countEntries("acme")).dead).toBe(2);
      expect(received.length).toBe(1);
      expect(received[0]!.body).toMatchObject({ type: "incident", event: "entry_dead", definition: "test/item" });
      expect(String(received[0]!.body.summary)).toMatch(/^Passenger \S+ of test\/item is dead at the pusher test\/modal_pusher step\.$/);

      // A person deletes the dead entries in the console; the next check sees none left.
      const { entries } = await db.listEntries("acme", { state: "dead" }, { offset: 0, limit: 10 });
      for (const e of entries) await db.deleteEntry("acme", e.passenger.id);
      await observers.sweep();
      expect(received.length).toBe(2);
      expect(received[1]!.body).toMatchObject({ type: "recovery", event: "entry_dead" });
    });
  });

  describe("when a definition has no successful run for longer than N × its frequency", () => {
    it("posts one silence incident and a recovery after the next successful run", async () => {
      await db.createClient("acme", config(["silence"], { silence_factor: 2 }));
      boot();
      await dispatcher.idle();
      await observers.idle();
      mode = "fail";
      now += 90_000;
      await observers.sweep();
      expect(received).toEqual([]);
      now += 60_000;
      await observers.sweep();
      await run();
      await observers.sweep();
      expect(received.length).toBe(1);
      expect(received[0]!.body).toMatchObject({ type: "incident", event: "silence", definition: "test/item" });
      expect(received[0]!.body.summary).toBe("test/item has had no successful run for 2 minutes.");

      mode = "deliver";
      await run();
      expect(received.length).toBe(2);
      expect(received[1]!.body).toMatchObject({ type: "recovery", event: "silence" });
    });
  });

  describe("when the webhook does not answer 2xx", () => {
    it("reports DBUS_DSP_OBSERVER_FAILED and sends the notice again on the next check", async () => {
      let refuse = true;
      server.stop(true);
      server = Bun.serve({
        port: 0,
        hostname: "127.0.0.1",
        async fetch(req) {
          const raw = await req.text();
          if (refuse) return new Response("no", { status: 503 });
          received.push({ raw, body: JSON.parse(raw), signature: req.headers.get("x-databus-signature") });
          return new Response("ok");
        },
      });
      await db.createClient("acme", config(["run_errors"]));
      mode = "fail";
      boot();
      await dispatcher.idle();
      await observers.idle();
      expect(reports.length).toBe(1);
      expect(reports[0]).toStartWith("DBUS_DSP_OBSERVER_FAILED The observer ops of client acme could not deliver its message: POST http://127.0.0.1:");
      expect(reports[0]).toContain("503");
      expect(reports[0]).not.toContain("hook-secret");
      refuse = false;
      await observers.sweep();
      await observers.sweep();
      expect(received.length).toBe(1);
      expect(received[0]!.body).toMatchObject({ type: "incident", event: "run_errors" });
    });
  });
});
