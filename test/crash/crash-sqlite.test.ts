/**
 * Crash safety of the sqlite store (DESIGN §3, issue 4), as crash.test.ts does it for json: a real
 * server on `--engine sqlite` is SIGKILLed at random moments while it seats, processes and pushes
 * 5,000 passengers, restarted each time, then left to finish. Its WAL is checkpointed by a thread
 * of its own (checkpointer.ts), so kills land during checkpoints too. Nothing may be lost, nothing
 * seated twice, every entry must finish; repeated deliveries are allowed and counted.
 */
import { afterAll, describe, expect, it } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { QueueEntry } from "../../src/core/queue-entry";
import { createSqliteDatabase } from "../../src/storage/sqlite";
import { createTempHome, type TempHome } from "../support/temp-home";
import { CLIENT, CONFIG_TEXT, deliveries, killRepeatedly, missingDeliveries, prepareHome, startServer, TOTAL, type Server } from "./harness";

const KILLS = 16;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fileOf = (home: string) => join(home, "data", "databus.sqlite");

/**
 * A killed server's run leases would keep the next one waiting until they expire (60 s, so that an
 * instance that is only slow keeps its runs); here they expire at once, so the kills land in work.
 */
function expireLeases(home: string): void {
  const db = new Database(fileOf(home));
  try {
    db.run("UPDATE leases SET expires_at = '1970-01-01T00:00:00.000Z'");
  } finally {
    db.close();
  }
}

/** The client's entry counts, read beside the running server (WAL: a reader never blocks it). */
async function counts(home: string) {
  const db = createSqliteDatabase(fileOf(home));
  await db.open({ readOnly: true });
  try {
    return await db.countEntries(CLIENT);
  } finally {
    await db.close();
  }
}

async function allEntries(home: string): Promise<QueueEntry[]> {
  const db = createSqliteDatabase(fileOf(home));
  await db.open();
  try {
    const entries: QueueEntry[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await db.listEntries(CLIENT, {}, { offset, limit: 1000 }, "seated_at");
      entries.push(...page.entries);
      if (page.entries.length < 1000) return entries;
    }
  } finally {
    await db.close();
  }
}

describe("crash safety, sqlite store", () => {
  let temp: TempHome;
  let running: Server | undefined;

  afterAll(async () => {
    if (running && running.proc.exitCode === null) running.proc.kill("SIGKILL");
    await temp?.cleanup();
  }, 60_000);

  describe("when the server is SIGKILLed at random moments while it moves 5,000 passengers", () => {
    it(
      "loses nothing, seats nothing twice and finishes every entry",
      async () => {
        const started = Date.now();
        temp = await createTempHome("databus-crash-sqlite-");
        prepareHome(temp.home, "sqlite");
        const setup = createSqliteDatabase(fileOf(temp.home));
        await setup.open();
        await setup.createClient(CLIENT, CONFIG_TEXT);
        await setup.close();

        const start = () => startServer(temp.home, "sqlite");
        const phases = await killRepeatedly(temp.home, KILLS, start, (server) => (running = server), () => expireLeases(temp.home));

        running = startServer(temp.home, "sqlite");
        await running.ready;
        const deadline = Date.now() + 240_000;
        const isDone = async () => deliveries(temp.home, "a").length >= TOTAL && deliveries(temp.home, "b").length >= TOTAL && (await counts(temp.home)).complete === TOTAL;
        while (Date.now() < deadline && !(await isDone())) await sleep(1000);
        running.proc.kill("SIGTERM");
        expect(await running.proc.exited).toBe(0);
        // A clean stop leaves no WAL: the checkpoint thread's connection closed before the server's.
        expect(existsSync(`${fileOf(temp.home)}-wal`)).toBe(false);

        // 1. Every passenger reached both pushers at least once.
        const a = deliveries(temp.home, "a");
        const b = deliveries(temp.home, "b");
        expect(missingDeliveries(a)).toEqual([]);
        expect(missingDeliveries(b)).toEqual([]);

        // 2. Every external id seated exactly once, and every entry finished.
        const entries = await allEntries(temp.home);
        const seatedIds = entries.map((e) => e.passenger.external_id);
        expect(seatedIds.filter((id, i) => seatedIds.indexOf(id) !== i)).toEqual([]);
        expect(entries).toHaveLength(TOTAL);
        expect(entries.filter((e) => !e.steps.every((s) => s.state === "done" || s.state === "skipped")).map((e) => e.passenger.id)).toEqual([]);
        expect(entries.filter((e) => (e.passenger.payload as { stamped?: unknown }).stamped !== true).map((e) => e.passenger.id)).toEqual([]);
        expect(await counts(temp.home)).toEqual({ pending: 0, failed: 0, dead: 0, complete: TOTAL });
        expect(readdirSync(join(temp.home, "inbox"))).toEqual([]);

        const duplicates = a.length + b.length - 2 * TOTAL;
        console.log(
          `sqlite crash test: ${KILLS} kills (${phases.join(", ")}), ${duplicates} duplicate deliveries ` +
            `(a ${a.length - TOTAL}, b ${b.length - TOTAL}), ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      },
      400_000,
    );
  });
});
