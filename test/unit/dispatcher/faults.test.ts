/**
 * Fault injection: misbehaving plugins (hang, throw, garbage, a 2 GB payload, process.exit) are
 * recorded as that step's failure with a clear message, while a healthy client runs in the same ticks.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { cp } from "node:fs/promises";
import { join } from "node:path";
import type { Clock } from "../../../src/core/clock";
import { Dispatcher } from "../../../src/dispatcher/dispatcher";
import { loadPlugins } from "../../../src/plugins/load";
import type { PluginRegistry } from "../../../src/plugins/registry";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

const FIXTURES = join(import.meta.dir, "../../fixtures/plugins");
const TYPE = "t/passenger-plain";
const MINUTE = 60_000;
const T0 = Date.parse("2026-04-01T08:00:00Z");

const definition = (parts: { pullers?: string[]; processors?: string[]; pushers?: string[] }) =>
  JSON.stringify({
    passengers: [{
      name: TYPE,
      pullers: parts.pullers ?? ["t/puller-one-new-each-run"],
      processors: parts.processors ?? [],
      pushers: parts.pushers ?? ["t/pusher-accepts"],
      sync_frequency: "1m",
    }],
  });

interface Case {
  when: string;
  config: Parameters<typeof definition>[0];
  /** Where the failure is recorded: the run's log (pull problems) or the entry's failed step. */
  recorded: "log" | "step";
  /** The recorded text; `<id>` stands for the passenger id. */
  text: string;
  /** Passengers of the faulty client that were seated anyway after the first tick. */
  seatedAnyway?: string[];
}

const CASES: Case[] = [
  {
    when: "a puller hangs",
    config: { pullers: ["t/puller-hangs", "t/puller-one-new-each-run"] },
    recorded: "log",
    text: "DBUS_RUN_PULL_FAILED The puller `t/puller-hangs` of t/passenger-plain failed: DBUS_RUN_STEP_TIMEOUT The puller `t/puller-hangs` did not finish within 0.2 seconds (while pulling).",
    seatedAnyway: ["run-1"],
  },
  {
    when: "a puller throws",
    config: { pullers: ["t/puller-throws"] },
    recorded: "log",
    text: "DBUS_RUN_PULL_FAILED The puller `t/puller-throws` of t/passenger-plain failed: the mailbox refused the login.",
  },
  {
    when: "a puller returns something that is not a list",
    config: { pullers: ["t/puller-returns-garbage"] },
    recorded: "log",
    text: "DBUS_RUN_PULL_FAILED The puller `t/puller-returns-garbage` of t/passenger-plain failed: pull() returned number, not a list or an async iterable of passengers.",
  },
  {
    when: "a puller returns plain objects instead of passengers",
    config: { pullers: ["t/puller-returns-plain-objects"] },
    recorded: "log",
    text: "DBUS_RUN_BAD_PASSENGER The puller `t/puller-returns-plain-objects` returned a passenger that cannot be seated: it is an object (Object), not a Passenger (create it with new YourPassengerType({...})).",
  },
  {
    when: "a puller returns a passenger without external_id",
    config: { pullers: ["t/puller-no-external-id"] },
    recorded: "log",
    text: "DBUS_RUN_BAD_PASSENGER The puller `t/puller-no-external-id` returned a passenger that cannot be seated: it has no external_id.",
    seatedAnyway: ["good-1"],
  },
  {
    when: "a puller returns an attachment without a name",
    config: { pullers: ["t/puller-attachment-without-name"] },
    recorded: "log",
    text: "DBUS_RUN_BAD_PASSENGER The puller `t/puller-attachment-without-name` returned a passenger that cannot be seated: an attachment has no name.",
  },
  {
    when: "a puller returns a 2 GB payload",
    config: { pullers: ["t/puller-huge-payload"] },
    recorded: "log",
    text: "DBUS_RUN_PASSENGER_TOO_LARGE The puller `t/puller-huge-payload` produced passenger with external_id huge-1 larger than 64 MB (payload and attachments together), so it was refused.",
    seatedAnyway: ["small-1"],
  },
  {
    when: "a processor hangs",
    config: { processors: ["t/processor-hangs"] },
    recorded: "step",
    text: "DBUS_RUN_STEP_TIMEOUT The processor `t/processor-hangs` did not finish within 0.2 seconds (passenger <id>).",
  },
  {
    when: "a processor throws",
    config: { processors: ["t/processor-throws"] },
    recorded: "step",
    text: "DBUS_RUN_STEP_FAILED The processor `t/processor-throws` failed for passenger <id>: cannot read the total of run-1.",
  },
  {
    when: "a processor calls process.exit",
    config: { processors: ["t/processor-calls-exit"] },
    recorded: "step",
    text: "DBUS_RUN_PLUGIN_EXIT The processor `t/processor-calls-exit` called process.exit(3), which would stop Databus for every client; the call was refused.",
  },
  {
    when: "a processor grows the payload to 2 GB",
    config: { processors: ["t/processor-huge-payload"] },
    recorded: "step",
    text: "DBUS_RUN_PASSENGER_TOO_LARGE The processor `t/processor-huge-payload` produced passenger <id> larger than 64 MB (payload and attachments together), so it was refused.",
  },
  {
    when: "a pusher hangs",
    config: { pushers: ["t/pusher-hangs"] },
    recorded: "step",
    text: "DBUS_RUN_STEP_TIMEOUT The pusher `t/pusher-hangs` did not finish within 0.2 seconds (passenger <id>).",
  },
  {
    when: "a pusher throws",
    config: { pushers: ["t/pusher-throws"] },
    recorded: "step",
    text: "DBUS_RUN_STEP_FAILED The pusher `t/pusher-throws` failed for passenger <id>: the target answered 500 for run-1.",
  },
];

describe("Dispatcher faults", () => {
  let t: TempHome;
  let db: Database;
  let registry: PluginRegistry;
  let d: Dispatcher;
  let now = T0;
  const clock: Clock = { now: () => now };

  const tickAt = async (minutes: number) => {
    now = T0 + minutes * MINUTE;
    await d.tick();
    await d.idle();
  };
  const externalIds = async (client: string) =>
    (await db.listEntries(client, {}, { offset: 0, limit: 100 }, "seated_at")).entries.map((e) => e.passenger.external_id);
  const errorLines = async (client: string) => {
    const lines: string[] = [];
    for (const h of (await db.listLogs(client, {}, { offset: 0, limit: 100 })).logs)
      for (const e of (await db.readLog(client, h.id))!.entries) if (e.level === "error") lines.push(e.message);
    return lines;
  };

  beforeEach(async () => {
    t = await createTempHome("databus-faults-");
    await cp(FIXTURES, join(t.home, "plugins", "t"), { recursive: true });
    registry = await loadPlugins(t.home);
    now = T0;
    db = createJsonDatabase(t.dataDir, { clock });
    await db.open();
    await db.createClient("good", definition({}));
  });
  afterEach(async () => {
    await d.shutdown();
    await db.close();
    await t.cleanup();
  });

  for (const c of CASES) {
    describe(`when ${c.when}`, () => {
      it("records the failure with its message while the healthy client runs on schedule", async () => {
        await db.createClient("faulty", definition(c.config));
        d = new Dispatcher({ db, registry, clock, home: t.home, tickMs: 3_600_000, concurrency: 4, graceMs: 1000, timeouts: { pullMs: 200, stepMs: 200 }, random: () => 0 });
        d.start();
        await d.idle();
        expect(await externalIds("good")).toEqual(["run-1"]);
        expect(await db.countEntries("good")).toMatchObject({ complete: 1 });
        expect(await externalIds("faulty")).toEqual(c.seatedAnyway ?? (c.recorded === "step" ? ["run-1"] : []));

        if (c.recorded === "log") expect(await errorLines("faulty")).toContain(c.text);
        else {
          const entry = (await db.listEntries("faulty", {}, { offset: 0, limit: 1 })).entries[0]!;
          const failed = entry.steps.find((s) => s.state === "failed")!;
          expect(failed.last_error).toBe(c.text.replace("<id>", entry.passenger.id));
          expect(await errorLines("faulty")).toContain(failed.last_error!);
        }

        await tickAt(1);
        expect(await externalIds("good")).toEqual(["run-1", "run-2"]);
        expect(await db.countEntries("good")).toMatchObject({ complete: 2 });
        expect((await db.listLogs("faulty", { origin: "run" }, { offset: 0, limit: 10 })).total).toBe(2);
      });
    });
  }
});
