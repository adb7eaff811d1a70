/**
 * The console while storage is not reachable yet (SQL Server down at start): /healthz, the login form
 * and System answer; /readyz and the pages that need the store answer 503 with the engine's status line.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import type { Database, StorageStatus } from "../../src/storage/database";
import { createJsonDatabase } from "../../src/storage/json/index";
import { createApp } from "../../src/web/app";
import { createTempHome, type TempHome } from "../support/temp-home";
import { Browser, clientConfigText, createFakeDispatcher, createManualClock } from "../support/web";

const DOWN: StorageStatus = {
  ready: false,
  text: "connecting to db.example:1433/databus, attempt 2: The SQL Server at db.example:1433/databus cannot be reached (connection refused).",
  since: "2025-01-15T09:58:00.000Z",
};
const UP: StorageStatus = { ready: true, text: "connected to db.example:1433/databus", since: "2025-01-15T10:01:00.000Z" };

/** A real json store dressed as an mssql engine whose status() the test switches between down and up. */
function fakeEngine(real: Database, current: { status: StorageStatus }): Database {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "engine") return "mssql";
      if (prop === "status") return () => current.status;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("console while storage is not reachable", () => {
  let home: TempHome;
  let real: Database;
  let current: { status: StorageStatus };
  let browser: Browser;
  const get = (path: string) => browser.get(path);

  beforeEach(async () => {
    home = await createTempHome("databus-readyz-");
    real = createJsonDatabase(home.dataDir);
    await real.open();
    await real.createClient("root", await clientConfigText({ users: [{ username: "boss", password: "boss-pw", role: "administrator" }] }));
    current = { status: UP };
    const app = createApp({ db: fakeEngine(real, current), dispatcher: createFakeDispatcher("idle"), settings: { alias: "" }, version: "1.2.3", clock: createManualClock() });
    browser = new Browser(app);
  });
  afterEach(async () => {
    await real.close();
    await home.cleanup();
  });

  describe("when the engine says it is down", () => {
    beforeEach(() => {
      current.status = DOWN;
    });

    it("still answers /healthz with 200", async () => {
      const res = await get("/healthz");
      expect(res.status).toBe(200);
      expect(res.text).toBe("ok");
    });

    it("answers /readyz with 503 and the engine's status line", async () => {
      const res = await get("/readyz");
      expect(res.status).toBe(503);
      expect(res.text).toBe(`not ready: storage ${DOWN.text}`);
    });

    it("shows the login form, but answers its POST with 503 DBUS_STO_NOT_READY", async () => {
      expect((await get("/login")).status).toBe(200);
      const res = await browser.post("/login", { client: "root", username: "boss", password: "boss-pw" });
      expect(res.status).toBe(503);
      expect(res.text).toContain("DBUS_STO_NOT_READY");
    });

    it("answers pages that need the store with a 503 page naming the engine and its status", async () => {
      current.status = UP;
      expect((await browser.login("root", "boss", "boss-pw")).status).toBe(303);
      current.status = DOWN;
      for (const path of ["/", "/queue", "/logs", "/users"]) {
        const res = await get(path);
        expect(res.status).toBe(503);
        expect(res.text).toContain("Storage not reachable yet: mssql connecting to db.example:1433/databus, attempt 2:");
        expect(res.text).toContain("DBUS_STO_NOT_READY");
      }
    });

    it("shows the engine, its status and since when on the System page", async () => {
      current.status = UP;
      await browser.login("root", "boss", "boss-pw");
      current.status = DOWN;
      const res = await get("/system");
      expect(res.status).toBe(200);
      expect(res.text).toContain("<dt>Engine</dt><dd>mssql</dd>");
      const storage = /<dd data-test="storage-status">(.*?)<\/dd>/s.exec(res.text)?.[1] ?? "";
      expect(storage).toContain("not ready");
      expect(storage).toContain("connecting to db.example:1433/databus, attempt 2:");
      expect(storage).toContain(`<time datetime="${DOWN.since}"`);
    });
  });

  describe("when the engine comes up", () => {
    it("answers /readyz with 200 and serves the pages again", async () => {
      current.status = DOWN;
      expect((await get("/readyz")).status).toBe(503);
      current.status = UP;
      const ready = await get("/readyz");
      expect(ready.status).toBe(200);
      expect(ready.text).toBe("ready");
      expect((await browser.login("root", "boss", "boss-pw")).status).toBe(303);
      expect((await get("/")).status).toBe(200);
      const system = await get("/system");
      expect(system.text).toContain("connected to db.example:1433/databus");
    });
  });
});
