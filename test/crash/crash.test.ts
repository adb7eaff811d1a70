/**
 * Crash safety (DESIGN §3, issue 4): a real server is SIGKILLed at random moments while it seats,
 * processes and pushes 5,000 passengers, restarted each time, then left to finish. Nothing may be
 * lost, nothing seated twice, no entry damaged; repeated deliveries are allowed and counted.
 */
import { afterAll, describe, expect, it } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createJsonDatabase } from "../../src/storage/json";
import { createTempHome, type TempHome } from "../support/temp-home";
import { CLIENT, deliveries, killRepeatedly, missingDeliveries, prepareHome, startServer, TOTAL, type Server } from "./harness";

const KILLS = 24;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface EntryFiles {
  id: string;
  passenger: { id?: unknown; external_id?: unknown } | undefined;
  status: { steps?: Array<{ state: string }> } | undefined;
}

/** Every entry folder as found on disk; an unparsable file reads as undefined. */
function readQueue(home: string): { entries: EntryFiles[]; temps: string[] } {
  const dir = join(home, "data", "clients", CLIENT, "queue");
  const parse = (path: string) => {
    try {
      return JSON.parse(readFileSync(path, "utf8"));
    } catch {
      return undefined;
    }
  };
  const names = readdirSync(dir);
  const temps = names.filter((n) => n.startsWith("."));
  const entries = names
    .filter((n) => !n.startsWith("."))
    .map((id) => {
      temps.push(...readdirSync(join(dir, id)).filter((n) => n.startsWith(".")).map((n) => `${id}/${n}`));
      return { id, passenger: parse(join(dir, id, "passenger.json")), status: parse(join(dir, id, "status.json")) };
    });
  return { entries, temps };
}

const isComplete = (e: EntryFiles) => e.status?.steps?.every((s) => s.state === "done" || s.state === "skipped") === true;

function allDelivered(home: string): boolean {
  const a = new Set(deliveries(home, "a"));
  const b = new Set(deliveries(home, "b"));
  return a.size === TOTAL && b.size === TOTAL;
}

async function stopGracefully(server: Server): Promise<number> {
  server.proc.kill("SIGTERM");
  return server.proc.exited;
}

describe("crash safety", () => {
  let temp: TempHome;
  let running: Server | undefined;

  // Removing 5,000 entry folders takes a while on these disks.
  afterAll(async () => {
    if (running && running.proc.exitCode === null) running.proc.kill("SIGKILL");
    await temp?.cleanup();
  }, 60_000);

  describe("when the server is SIGKILLed at random moments while it moves 5,000 passengers", () => {
    it(
      "loses nothing, seats nothing twice and leaves no damaged entry",
      async () => {
        const started = Date.now();
        temp = await createTempHome("databus-crash-");
        prepareHome(temp.home);
        const phases = await killRepeatedly(temp.home, KILLS, () => startServer(temp.home), (server) => (running = server));

        running = startServer(temp.home);
        await running.ready;
        // Generous: on this machine the rest takes about 90 s; the assertions below say what is missing if not.
        const deadline = Date.now() + 240_000;
        while (Date.now() < deadline) {
          if (allDelivered(temp.home) && readQueue(temp.home).entries.every(isComplete)) break;
          await sleep(1000);
        }
        expect(await stopGracefully(running)).toBe(0);

        // 1. Every passenger reached both pushers at least once.
        const a = deliveries(temp.home, "a");
        const b = deliveries(temp.home, "b");
        expect(missingDeliveries(a)).toEqual([]);
        expect(missingDeliveries(b)).toEqual([]);

        // 2. No external id was seated twice, and every one was seated.
        const { entries, temps } = readQueue(temp.home);
        const seatedIds = entries.map((e) => String(e.passenger?.external_id));
        const twice = seatedIds.filter((id, i) => seatedIds.indexOf(id) !== i);
        expect(twice).toEqual([]);
        expect(entries).toHaveLength(TOTAL);

        // 3. No damaged entry: both files parse and have their shape; every entry finished.
        const damaged = entries.filter((e) => e.passenger?.id !== e.id || typeof e.passenger?.external_id !== "string" || !Array.isArray(e.status?.steps));
        expect(damaged.map((e) => e.id)).toEqual([]);
        expect(entries.filter((e) => !isComplete(e)).map((e) => e.id)).toEqual([]);
        expect(existsSync(join(temp.home, "inbox")) && readdirSync(join(temp.home, "inbox"))).toEqual([]);

        // 4. After a clean start nothing an interrupted write left behind remains, and nothing was quarantined.
        const db = createJsonDatabase(join(temp.home, "data"));
        await db.open();
        const counts = await db.countEntries(CLIENT);
        await db.close();
        expect(counts).toEqual({ pending: 0, failed: 0, dead: 0, complete: TOTAL });
        expect(readQueue(temp.home).temps).toEqual([]);
        expect(existsSync(join(temp.home, "data", "clients", CLIENT, "quarantine"))).toBe(false);

        const duplicates = a.length + b.length - 2 * TOTAL;
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(
          `crash test: ${KILLS} kills (${phases.join(", ")}), ${duplicates} duplicate deliveries (a ${a.length - TOTAL}, b ${b.length - TOTAL}), ` +
            `${temps.length} temp leftovers before the clean start, ${seconds} s`,
        );
      },
      400_000,
    );
  });
});
