/** `databus queue list|retry|skip`: spawned against a temp home, like a person runs them. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { resolve } from "node:path";
import { initialSteps } from "../../../src/core/queue-entry";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

const REPO = resolve(import.meta.dir, "../../..");
const AT = "2026-04-01T08:00:00.000Z";
const DEAD_ID = "01960000-0000-7000-8000-000000000001";
const DONE_ID = "01960000-0000-7000-8000-000000000002";

async function databus(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn([process.execPath, "src/main.ts", ...args], { cwd: REPO, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

async function withDb<T>(home: TempHome, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = createJsonDatabase(home.dataDir);
  await db.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const passenger = (id: string, external_id: string) => ({
  id, type: "acme/order", external_id, source_system: "shop", pulled_at: AT, puller: "acme/puller", payload: {}, attachments: [], log_ids: [],
});

/** acme holds one dead entry (its pusher failed for good) and one complete entry. */
async function fillQueue(db: Database): Promise<void> {
  await db.createClient("acme", JSON.stringify({ passengers: [] }));
  const steps = initialSteps("acme/puller", [], ["acme/pusher"], AT);
  await db.seat("acme", [{ passenger: passenger(DEAD_ID, "order-1"), steps }, { passenger: passenger(DONE_ID, "order-2"), steps }]);
  for (const id of [DEAD_ID, DONE_ID]) await db.updateStep("acme", id, 0, { action: "succeed", at: AT });
  await db.updateStep("acme", DEAD_ID, 1, { action: "fail", at: AT, error: "DBUS_RUN_STEP_FAILED the target is down", nextAttemptAt: null });
  await db.updateStep("acme", DONE_ID, 1, { action: "succeed", at: AT });
}

describe("databus queue", () => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-cli-queue-");
    await withDb(home, fillQueue);
  });
  afterEach(() => home.cleanup());

  describe("when listing dead entries", () => {
    it("prints each with its failed step, number and error, then a count", async () => {
      const { code, stdout, stderr } = await databus("queue", "list", "acme", "--state", "dead", "--home", home.home);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout.trim().split("\n")).toEqual([
        `${DEAD_ID}  dead     acme/order  order-1  seated ${(await withDb(home, (db) => db.getEntry("acme", DEAD_ID)))!.seated_at}`,
        "    step 1 pusher acme/pusher: failed after 1 attempt, waits for a person — DBUS_RUN_STEP_FAILED the target is down",
        "Client acme has 1 dead entry.",
      ]);
    });
  });

  describe("when retrying a dead entry", () => {
    it("puts its failed step back to pending and leaves a console log", async () => {
      const { code, stdout } = await databus("queue", "retry", "acme", DEAD_ID, "--home", home.home);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(`Retried step 1 (pusher acme/pusher) of passenger ${DEAD_ID} (order-1); it is now pending.`);
      await withDb(home, async (db) => {
        const entry = (await db.getEntry("acme", DEAD_ID))!;
        expect(entry.steps[1]).toMatchObject({ state: "pending", attempts: 0 });
        const logs = await db.listLogs("acme", { origin: "console" }, { offset: 0, limit: 10 });
        expect(logs.logs.map((l) => l.title)).toEqual(["command line: retry step 1 (pusher acme/pusher) of order-1"]);
        expect(entry.passenger.log_ids).toContain(logs.logs[0]!.id);
      });
    });
  });

  describe("when skipping one step by number", () => {
    it("skips it, so the entry is complete", async () => {
      const { code, stdout } = await databus("queue", "skip", "acme", DEAD_ID, "--step", "1", "--home", home.home);
      expect(code).toBe(0);
      expect(stdout.trim()).toEndWith("it is now complete.");
      expect(await withDb(home, (db) => db.countEntries("acme"))).toMatchObject({ complete: 2, dead: 0 });
    });
  });

  describe("when the entry has no failed step", () => {
    it("refuses with DBUS_Q_ACTION_NOT_ALLOWED and exit code 1", async () => {
      const { code, stderr } = await databus("queue", "retry", "acme", DONE_ID, "--all-failed", "--home", home.home);
      expect(code).toBe(1);
      expect(stderr).toContain(`DBUS_Q_ACTION_NOT_ALLOWED Passenger ${DONE_ID} is complete with no failed step, so it cannot be retried.`);
    });
  });

  describe("when the passenger is not in the queue", () => {
    it("says so with DBUS_Q_ENTRY_NOT_FOUND", async () => {
      const missing = "01960000-0000-7000-8000-00000000ffff";
      const { code, stderr } = await databus("queue", "skip", "acme", missing, "--home", home.home);
      expect(code).toBe(1);
      expect(stderr).toContain(`DBUS_Q_ENTRY_NOT_FOUND Client acme has no passenger ${missing} in its queue.`);
    });
  });

  describe("when the command is used wrongly", () => {
    it("exits 2 with the usage", async () => {
      for (const args of [["queue", "purge", "acme"], ["queue", "retry", "acme"], ["queue", "list", "acme", "--state", "stuck"], ["queue", "retry", "acme", DEAD_ID, "--step", "1", "--all-failed"]]) {
        const { code, stderr } = await databus(...args, "--home", home.home);
        expect(code).toBe(2);
        expect(stderr).toContain("DBUS_SET_USAGE");
        expect(stderr).toContain("databus queue list <client>");
      }
    });
  });

  describe("when a server holds the data folder", () => {
    it("refuses with DBUS_SET_HOME_LOCKED and points to the console", async () => {
      await withDb(home, async () => {
        const { code, stderr } = await databus("queue", "retry", "acme", DEAD_ID, "--home", home.home);
        expect(code).toBe(1);
        expect(stderr).toContain("DBUS_SET_HOME_LOCKED");
        expect(stderr).toContain("web console");
      });
      expect((await withDb(home, (db) => db.getEntry("acme", DEAD_ID)))!.steps[1]!.state).toBe("failed");
    });
  });
});
