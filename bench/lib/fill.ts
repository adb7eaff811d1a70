/**
 * Fills the JSON layout straight on disk (no store, no fsync): one client with queue entries across
 * three definitions and run logs. For benches that measure reading and starting, not seating.
 */
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uuidv7 } from "../../src/core/ids";
import { initialSteps } from "../../src/core/queue-entry";
import { applyStepAction } from "../../src/core/step-status";
import { Layout } from "../../src/storage/json/layout";

export const DEFINITIONS = ["bench/orders", "bench/invoices", "bench/returns"];
const START = Date.parse("2026-01-01T00:00:00Z");

/** The client's config.json (demo drivers, one administrator with this password hash). */
export async function writeClientConfig(layout: Layout, client: string, passwordHash: string): Promise<void> {
  const config = {
    passengers: DEFINITIONS.map((name) => ({ name, pullers: ["databus/demo/puller_1"], pushers: ["databus/demo/pusher_1"] })),
    users: [{ username: "bench", role: "administrator", password_hash: passwordHash }],
  };
  await mkdir(layout.queueDir(client), { recursive: true });
  await writeFile(layout.configFile(client), JSON.stringify(config, null, 2));
}

/**
 * Entries across three definitions; every 10th failed, every 50th dead, the rest complete. The failed
 * ones are due for a retry now, unless `retriesDue` is false (then in 2100: a home with nothing to do).
 */
export async function fillQueue(layout: Layout, client: string, count: number, retriesDue = true): Promise<void> {
  const later = "2100-01-01T00:00:00.000Z";
  const batch: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(START + i * 1000).toISOString();
    const id = uuidv7(START + i * 1000);
    const type = DEFINITIONS[i % DEFINITIONS.length]!;
    let steps = initialSteps("databus/demo/puller_1", [], ["databus/demo/pusher_1"], at);
    steps = [applyStepAction(steps[0]!, { action: "succeed", at }, id), steps[1]!];
    if (i % 50 === 0) steps[1] = applyStepAction(steps[1]!, { action: "fail", at, error: "refused", nextAttemptAt: null }, id);
    else if (i % 10 === 0) steps[1] = applyStepAction(steps[1]!, { action: "fail", at, error: "timeout", nextAttemptAt: retriesDue ? at : later }, id);
    else steps[1] = applyStepAction(steps[1]!, { action: "succeed", at }, id);
    const complete = steps.every((s) => s.state === "done");
    const passenger = { id, type, external_id: `order-${i}`, source_system: "shop", pulled_at: at, puller: "databus/demo/puller_1", payload: { n: i }, log_ids: [], attachments: [] };
    const dir = layout.entryDir(client, id);
    batch.push(
      mkdir(dir).then(() =>
        Promise.all([
          writeFile(join(dir, "passenger.json"), JSON.stringify(passenger)),
          writeFile(join(dir, "status.json"), JSON.stringify({ seated_at: at, completed_at: complete ? at : null, steps })),
        ]).then(() => undefined),
      ),
    );
    if (batch.length >= 256) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

export async function fillLogs(layout: Layout, client: string, count: number): Promise<void> {
  await mkdir(join(layout.dataDir, "clients", client, "log"), { recursive: true });
  const batch: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(START + i * 60_000).toISOString();
    const id = uuidv7(START + i * 60_000);
    const definition = DEFINITIONS[i % DEFINITIONS.length]!;
    const level = i % 20 === 0 ? "error" : "info";
    const log = {
      id, at, title: `run ${definition}`, definition, level, entries_count: 1,
      finished_at: at, counts: { pulled: 2, seated: 2, delivered: 2, failed: level === "error" ? 1 : 0 },
      entries: [{ at, level, source: "dispatcher", message: "Run finished." }],
    };
    batch.push(writeFile(layout.logFile(client, at, id), JSON.stringify(log)));
    if (batch.length >= 256) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

/** Where filled homes are kept between runs (filling 200,000 entries takes minutes on these disks). */
export const BENCH_DATA = process.env.DATABUS_BENCH_DATA ?? join(tmpdir(), "databus-bench-data");
export const BENCH_PASSWORD = "bench-password";

/**
 * A home with client `bench` holding `entries` queue entries (no retries due) and `logs` run logs,
 * filled on first use and kept in BENCH_DATA for the next run; shared by the console and startup
 * benches. Delete the folder to start over.
 */
export async function filledHome(entries: number, logs: number): Promise<string> {
  const home = join(BENCH_DATA, `home-${entries}-${logs}`);
  const marker = join(home, ".filled");
  if (existsSync(marker)) return home;
  await rm(home, { recursive: true, force: true });
  const layout = new Layout(join(home, "data"));
  const t = performance.now();
  await writeClientConfig(layout, "bench", await Bun.password.hash(BENCH_PASSWORD, { algorithm: "argon2id" }));
  await fillQueue(layout, "bench", entries, false);
  await fillLogs(layout, "bench", logs);
  await writeFile(marker, new Date().toISOString());
  console.log(`filled ${entries} entries and ${logs} logs in ${home} in ${((performance.now() - t) / 1000).toFixed(1)} s (kept for the next run)`);
  return home;
}
