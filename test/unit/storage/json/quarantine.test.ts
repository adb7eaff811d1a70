import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { uuidv7 } from "../../../../src/core/ids";
import { initialSteps } from "../../../../src/core/queue-entry";
import type { Database } from "../../../../src/storage/database";
import { createJsonDatabase } from "../../../../src/storage/json";
import { passengerProblem, statusProblem } from "../../../../src/storage/json/quarantine";
import { SNAPSHOT_FILE } from "../../../../src/storage/json/queue-snapshot";
import { createTempHome, type TempHome } from "../../../support/temp-home";

const AT = "2024-05-01T10:00:00.000Z";

function request(externalId: string, offset: number) {
  const passenger = { id: uuidv7(Date.now() + offset), type: "t", external_id: externalId, source_system: "s", pulled_at: AT, puller: "acme/p", payload: {}, log_ids: [], attachments: [] };
  return { passenger, steps: initialSteps("acme/p", [], ["acme/push"], AT) };
}

describe("json store self-check", () => {
  let home: TempHome;
  let db: Database;
  const clientDir = () => join(home.dataDir, "clients", "acme");
  /** Closes the store (its files are written behind until then), lets `damage` change them, opens it again. */
  const reopen = async (damage: () => Promise<void> = async () => undefined) => {
    await db.close();
    await damage();
    db = createJsonDatabase(home.dataDir);
    await db.open();
  };
  const selfCheckLogs = async () =>
    (await db.listLogs("acme", {}, { offset: 0, limit: 50 })).logs.filter((l) => l.title === "store self-check");

  beforeEach(async () => {
    home = await createTempHome();
    db = createJsonDatabase(home.dataDir);
    await db.open();
    await db.createClient("acme", "{}");
  });
  afterEach(async () => {
    await db.close();
    await home.cleanup();
  });

  describe("when an entry's status.json was cut short", () => {
    it("moves the entry folder to quarantine, logs it and serves the rest", async () => {
      const good = request("good", 0);
      const bad = request("bad", 1);
      await db.seat("acme", [good, bad]);
      const status = join(clientDir(), "queue", bad.passenger.id, "status.json");
      await reopen(async () => {
        const text = await readFile(status, "utf8");
        await writeFile(status, text.slice(0, text.length / 2));
        // As after a crash: no index snapshot (after a clean stop it stands in for reading the entries).
        await rm(join(home.dataDir, SNAPSHOT_FILE));
      });

      expect(await readdir(join(clientDir(), "queue"))).toEqual([good.passenger.id]);
      const moved = await readdir(join(clientDir(), "quarantine"));
      expect(moved).toHaveLength(1);
      expect(moved[0]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d-]+\\.\\d{3}Z_queue_${bad.passenger.id}$`));
      // Quarantined, not dropped: the whole folder is there, passenger.json intact.
      expect(JSON.parse(await readFile(join(clientDir(), "quarantine", moved[0]!, "passenger.json"), "utf8")).external_id).toBe("bad");

      const logs = await selfCheckLogs();
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatchObject({ origin: "console", level: "warning" });
      const log = await db.readLog("acme", logs[0]!.id);
      expect(log?.entries[0]?.message).toContain(`queue/${bad.passenger.id}`);
      expect(log?.entries[0]?.message).toContain("status.json is not valid JSON");

      expect((await db.listEntries("acme", {}, { offset: 0, limit: 10 })).entries.map((e) => e.passenger.external_id)).toEqual(["good"]);
      expect(await db.countEntries("acme")).toMatchObject({ pending: 1 });
    });
  });

  describe("when an entry folder has no passenger.json", () => {
    it("quarantines it and the next start finds nothing more to do", async () => {
      const id = uuidv7(Date.now());
      await mkdir(join(clientDir(), "queue", id), { recursive: true });
      await reopen();
      expect(await readdir(join(clientDir(), "quarantine"))).toHaveLength(1);
      await reopen();
      expect(await readdir(join(clientDir(), "quarantine"))).toHaveLength(1);
      expect(await selfCheckLogs()).toHaveLength(1);
    });
  });

  describe("when a log file is not JSON", () => {
    it("moves it to quarantine and says so in a self-check log", async () => {
      await mkdir(join(clientDir(), "log"), { recursive: true });
      await writeFile(join(clientDir(), "log", "2024-05-01T10-00-00.000Z_broken.json"), '{"id": "broken", "entr');
      await reopen();
      const logs = await selfCheckLogs();
      expect(logs).toHaveLength(1);
      expect(await readdir(join(clientDir(), "quarantine"))).toHaveLength(1);
      expect((await readdir(join(clientDir(), "quarantine")))[0]).toEndWith("_log_2024-05-01T10-00-00.000Z_broken.json");
      expect((await db.readLog("acme", logs[0]!.id))?.entries[0]?.message).toContain("log/2024-05-01T10-00-00.000Z_broken.json");
    });
  });

  describe("when a plugin state file is damaged", () => {
    it("quarantines it so the driver starts from an empty state", async () => {
      await db.setState("acme", "acme/p", "cursor", 7);
      await reopen(() => writeFile(join(clientDir(), "state", `${encodeURIComponent("acme/p")}.json`), '{"cursor": '));
      expect(await db.getState("acme", "acme/p", "cursor")).toBeUndefined();
      expect((await readdir(join(clientDir(), "quarantine")))[0]).toEndWith(`_state_${encodeURIComponent("acme/p")}.json`);
      expect(await selfCheckLogs()).toHaveLength(1);
    });
  });

  describe("when the files have the right syntax but the wrong shape", () => {
    it("names what is wrong", () => {
      const id = uuidv7(Date.now());
      expect(passengerProblem([], id)).toBe("passenger.json is not a JSON object");
      expect(passengerProblem({ id: "other" }, id)).toBe("passenger.json names another id than its folder");
      expect(statusProblem({ seated_at: AT, completed_at: null, steps: [] })).toBe("status.json has no steps");
      expect(statusProblem({ seated_at: AT, completed_at: null, steps: [{ kind: "pusher", name: "p", state: "odd" }] })).toBe(
        "status.json has a step it cannot be read as",
      );
    });
  });

  describe("when nothing is damaged", () => {
    it("moves nothing and writes no log", async () => {
      await db.seat("acme", [request("fine", 0)]);
      await reopen();
      expect(await readdir(clientDir())).not.toContain("quarantine");
      expect(await selfCheckLogs()).toHaveLength(0);
    });
  });
});
