/** The webhook pusher through the real pipeline and failure model, against a real local HTTP server. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Clock } from "../../../../src/core/clock";
import { Dispatcher } from "../../../../src/dispatcher/dispatcher";
import { loadPlugins } from "../../../../src/plugins/load";
import { Passenger, Puller } from "../../../../src/sdk/index";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../../support/temp-home";

class Order extends Passenger<{ kind: string }> {}
class OrderPuller extends Puller<Order> {
  pull() {
    return ["ok", "flaky", "bad", "slow"].map((kind) => new Order({ external_id: kind, source_system: "shop", payload: { kind } }));
  }
}

describe("webhook_pusher through the dispatcher", () => {
  let t: TempHome;
  let db: Database;
  let d: Dispatcher;
  let server: ReturnType<typeof Bun.serve>;
  const received: Array<{ kind: string; key: string | null }> = [];
  let flakyCalls = 0;
  let now = Date.parse("2026-06-01T09:00:00Z");
  const clock: Clock = { now: () => now };

  beforeEach(async () => {
    received.length = 0;
    flakyCalls = 0;
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(req) {
        const { payload } = (await req.json()) as { payload: { kind: string } };
        received.push({ kind: payload.kind, key: req.headers.get("idempotency-key") });
        if (payload.kind === "flaky" && ++flakyCalls === 1) return new Response("warming up", { status: 500 });
        if (payload.kind === "bad") return new Response("no such customer", { status: 400 });
        if (payload.kind === "slow") await Bun.sleep(3000);
        return new Response("ok");
      },
    });
    t = await createTempHome("databus-webhook-run-");
    db = createJsonDatabase(t.dataDir, { clock });
    await db.open();
    const definition = {
      name: "t/order",
      pullers: ["t/orders"],
      pushers: [{ name: "databus/http/webhook_pusher", options: { url: `http://127.0.0.1:${server.port}/hook` } }],
      sync_frequency: "1m",
      timeout: "1s",
    };
    await db.createClient("acme", JSON.stringify({ passengers: [definition] }));
    const registry = await loadPlugins(t.home);
    registry.set({ status: "loaded", name: "t/order", kind: "passenger", file: null, cls: Order });
    registry.set({ status: "loaded", name: "t/orders", kind: "puller", file: null, cls: OrderPuller });
    d = new Dispatcher({ db, registry, clock, home: t.home, tickMs: 3_600_000, concurrency: 1, graceMs: 1000, random: () => 0 });
  });
  afterEach(async () => {
    await d.shutdown();
    await db.close();
    server.stop(true);
    await t.cleanup();
  });

  const pusherStep = async (kind: string) => {
    const entry = (await db.listEntries("acme", { text: kind }, { offset: 0, limit: 1 })).entries[0]!;
    return { id: entry.passenger.id, step: entry.steps.at(-1)! };
  };

  it("delivers, retries 5xx and timeouts with backoff, and leaves a 4xx dead", async () => {
    d.start();
    await d.idle();

    const ok = await pusherStep("ok");
    expect(ok.step.state).toBe("done");
    const flaky = await pusherStep("flaky");
    expect(flaky.step).toMatchObject({ state: "failed", attempts: 1 });
    expect(flaky.step.last_error).toContain("answered HTTP 500 Internal Server Error: warming up; Databus will try again.");
    expect(flaky.step.next_attempt_at).not.toBeNull();
    const bad = await pusherStep("bad");
    expect(bad.step).toMatchObject({ state: "failed", next_attempt_at: null });
    expect(bad.step.last_error).toStartWith("DBUS_RUN_UNRECOVERABLE");
    expect(bad.step.last_error).toContain("answered HTTP 400 Bad Request: no such customer");
    const slow = await pusherStep("slow");
    expect(slow.step.state).toBe("failed");
    expect(slow.step.last_error).toStartWith("DBUS_RUN_STEP_TIMEOUT");
    expect(slow.step.next_attempt_at).not.toBeNull();
    expect(await db.countEntries("acme")).toMatchObject({ complete: 1, failed: 2, dead: 1 });

    now += 3_600_000;
    await d.tick();
    await d.idle();
    expect((await pusherStep("flaky")).step).toMatchObject({ state: "done", attempts: 2 });
    const flakyKeys = received.filter((r) => r.kind === "flaky").map((r) => r.key);
    expect(flakyKeys).toEqual([`${flaky.id}:databus/http/webhook_pusher`, `${flaky.id}:databus/http/webhook_pusher`]);
    expect(received.filter((r) => r.kind === "bad")).toHaveLength(1);
  });
});
