/**
 * The bench pipeline: one client (or several, each with the same definition and an equal share of
 * the passengers, their runs side by side), one definition, 1 puller → 1 processor → 2 pushers,
 * driven by the real Dispatcher on a real store (json or sqlite) in a temp home. Used by throughput
 * and memory.
 */
import { join } from "node:path";
import { systemClock } from "../../src/core/clock";
import { Dispatcher } from "../../src/dispatcher/dispatcher";
import { PluginRegistry, type PluginKind } from "../../src/plugins/registry";
import { Passenger, Processor, Puller, Pusher, type PullContext } from "../../src/sdk/index";
import type { Database } from "../../src/storage/database";
import { createJsonDatabase } from "../../src/storage/json/index";
import { createSqliteDatabase } from "../../src/storage/sqlite/index";
import { removeScratch, scratchDir } from "./scratch";

export type Engine = "json" | "sqlite";

export interface PipelineOptions {
  engine: Engine;
  /** Passengers the puller hands out in all (split evenly between the clients). */
  total: number;
  /** Clients, each running the definition; the dispatcher runs them all at once. 1 unless told. */
  clients?: number;
  /** Passengers per pull (and the dispatcher's batch limit). */
  perRun: number;
  payloadBytes: number;
  /** Bytes of one binary attachment per passenger; 0 for none. */
  attachmentBytes: number;
  /** The definition's queue_life_span in days; 0 purges complete entries at the end of each run. */
  queueLifeSpanDays?: number;
}

export interface Pipeline {
  /** The temp home (its store in data/). */
  home: string;
  db: Database;
  dispatcher: Dispatcher;
  /** Pushes done so far (two per passenger when all went well). */
  pushed: () => number;
  /** Passengers pulled so far. */
  pulled: () => number;
  /** The clients' ids. */
  clients: string[];
  /** One run of every client: pull up to perRun, seat, process, push; resolves when all are over. */
  runOnce: () => Promise<void>;
  close: () => Promise<void>;
}

export const CLIENT = "bench";
const DEFINITION = "bench/item";

export async function openPipeline(o: PipelineOptions): Promise<Pipeline> {
  const body = "x".repeat(o.payloadBytes);
  const attachment = new Uint8Array(o.attachmentBytes).map((_, i) => i & 0xff);
  const count = o.clients ?? 1;
  if (!Number.isInteger(count) || count < 1 || o.total % count !== 0) throw new Error(`${o.total} passengers do not split evenly between ${count} clients`);
  const clients = count === 1 ? [CLIENT] : Array.from({ length: count }, (_, i) => `${CLIENT}-${i + 1}`);
  const share = o.total / count;
  const pulledBy = new Map(clients.map((c) => [c, 0]));
  let pulled = 0;
  let pushed = 0;
  // The dispatcher's first tick runs at start; the puller hands out nothing until the bench is ready.
  let armed = false;

  class Item extends Passenger<{ n: number; body: string; stamped?: boolean }> {}
  class BenchPuller extends Puller<Item> {
    pull(ctx: PullContext) {
      const before = pulledBy.get(ctx.client)!;
      const count = armed ? Math.min(o.perRun, share - before) : 0;
      const out = Array.from({ length: count }, (_, i) => {
        const n = before + i;
        const attachments = o.attachmentBytes > 0 ? [{ name: "doc.bin", content: attachment, media_type: "application/octet-stream" }] : [];
        return new Item({ external_id: `item-${n}`, payload: { n, body }, attachments });
      });
      pulledBy.set(ctx.client, before + count);
      pulled += count;
      return out;
    }
  }
  class Stamp extends Processor<Item> {
    process(p: Item) {
      p.payload.stamped = true;
    }
  }
  class Count extends Pusher<Item> {
    push() {
      pushed++;
    }
  }

  const registry = new PluginRegistry();
  const plugins: Record<string, [PluginKind, new () => unknown]> = {
    [DEFINITION]: ["passenger", Item as never],
    "bench/puller": ["puller", BenchPuller],
    "bench/stamp": ["processor", Stamp],
    "bench/push_a": ["pusher", Count],
    "bench/push_b": ["pusher", Count],
  };
  for (const [name, [kind, cls]] of Object.entries(plugins)) registry.set({ status: "loaded", name, kind, file: null, cls });

  const home = scratchDir("throughput-");
  // BENCH_NO_FILES=1: the json store keeps every change in its journal and memory until close, to see
  // what the pipeline costs without the readable files (a diagnosis, never a published figure).
  const noFiles = process.env.BENCH_NO_FILES ? { journal: { materialiseMs: 600_000, materialiseBytes: 2 ** 40 } } : undefined;
  const db = o.engine === "sqlite" ? createSqliteDatabase(join(home, "data", "databus.sqlite")) : createJsonDatabase(join(home, "data"), noFiles);
  await db.open();
  const config = JSON.stringify({
    passengers: [{ name: DEFINITION, pullers: ["bench/puller"], processors: ["bench/stamp"], pushers: ["bench/push_a", "bench/push_b"], queue_life_span: o.queueLifeSpanDays ?? 7 }],
  });
  for (const client of clients) await db.createClient(client, config);
  // A tick of an hour: runs start only when the bench asks (runNow), never on their own.
  const dispatcher = new Dispatcher({ db, registry, clock: systemClock, home, tickMs: 3_600_000, concurrency: count, graceMs: 1000, batchLimit: o.perRun });
  dispatcher.start();
  await dispatcher.idle();

  return {
    home,
    db,
    dispatcher,
    pushed: () => pushed,
    pulled: () => pulled,
    clients,
    runOnce: async () => {
      armed = true;
      await Promise.all(clients.map((client) => dispatcher.runNow(client, DEFINITION)));
      await dispatcher.idle();
    },
    close: async () => {
      await dispatcher.shutdown();
      await db.close();
      removeScratch(home);
    },
  };
}

/** `--name value` taken out of args (so positional arguments stay in place), or the fallback. */
export function takeOption(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = args[at + 1];
  if (value === undefined) throw new Error(`${name} needs a value`);
  args.splice(at, 2);
  return value;
}

export function parseEngine(value: string): Engine {
  if (value !== "json" && value !== "sqlite") throw new Error(`--engine must be json or sqlite, not ${value}`);
  return value;
}
