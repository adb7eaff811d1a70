/** StoreOpening: serve's view of the store while it opens (status, retries, what ends the start). */
import { describe, expect, it } from "bun:test";
import { StoreOpening } from "../../../src/cli/store-opening";
import { DatabusError } from "../../../src/core/errors";
import type { Database, StorageStatus } from "../../../src/storage/database";
import { createManualClock } from "../../support/web";

/** An engine with only what StoreOpening touches; `open` fails with the queued errors first. */
function fakeEngine(failures: Error[], own: StorageStatus = { ready: true, text: "ready" }) {
  const calls = { open: 0, close: 0 };
  const engine = {
    engine: "fake",
    status: () => own,
    open: async () => {
      calls.open++;
      const failure = failures.shift();
      if (failure) throw failure;
    },
    close: async () => void calls.close++,
    listClients: async function (this: unknown) {
      return this === engine ? ["bound"] : ["unbound"];
    },
  };
  return { engine: engine as unknown as Database, calls };
}

/** Waits (polling) until `done()` holds; fails after 5 s. */
async function until(done: () => boolean): Promise<void> {
  for (const end = Date.now() + 5000; !done(); await Bun.sleep(2)) if (Date.now() > end) throw new Error("timed out waiting");
}

const unreachable = () => new DatabusError("DBUS_STO_UNREACHABLE", { host: "db:1433", reason: "connection refused", seconds: 1 });

describe("StoreOpening", () => {
  describe("when the store has not opened yet", () => {
    it("reports opening since it was created, though a local engine says ready", () => {
      const { engine } = fakeEngine([]);
      const store = new StoreOpening(engine, createManualClock(Date.parse("2025-01-15T10:00:00Z")));
      expect(store.db.status()).toEqual({ ready: false, text: "opening", since: "2025-01-15T10:00:00.000Z" });
      expect(store.isOpen).toBe(false);
    });

    it("passes the engine's own not-ready status through", () => {
      const own = { ready: false, text: "connecting to db:1433, attempt 4", since: "2025-01-15T09:00:00.000Z" };
      const { engine } = fakeEngine([], own);
      expect(new StoreOpening(engine, createManualClock()).db.status()).toEqual(own);
    });

    it("calls the engine's methods on the engine itself", async () => {
      const { engine } = fakeEngine([]);
      expect(await new StoreOpening(engine, createManualClock()).db.listClients()).toEqual(["bound"]);
    });
  });

  describe("when open fails with a retryable error", () => {
    it("retries with backoff, says why meanwhile, and is ready once open", async () => {
      const { engine, calls } = fakeEngine([unreachable(), unreachable()]);
      const clock = createManualClock(Date.parse("2025-01-15T10:00:00Z"));
      const store = new StoreOpening(engine, clock);
      const opening = store.open({ firstDelayMs: 5, maxDelayMs: 10 });
      while (calls.open < 1) await Bun.sleep(1);
      await Bun.sleep(1);
      expect(store.db.status().text).toStartWith("could not be opened yet: The SQL Server at db:1433 cannot be reached");
      clock.advance(60_000);
      await opening;
      expect(calls.open).toBe(3);
      expect(store.db.status()).toEqual({ ready: true, text: "ready", since: "2025-01-15T10:01:00.000Z" });
    });
  });

  describe("when open fails for good", () => {
    it("raises at once without retrying", async () => {
      const locked = new DatabusError("DBUS_SET_HOME_LOCKED", { path: "/srv/data", pid: 7, lockFile: "/srv/data/.lock" });
      const { engine, calls } = fakeEngine([locked]);
      await expect(new StoreOpening(engine, createManualClock()).open()).rejects.toBe(locked);
      expect(calls.open).toBe(1);
    });
  });

  describe("when closed while waiting to retry", () => {
    it("stops retrying and closes the engine", async () => {
      const { engine, calls } = fakeEngine([unreachable(), unreachable()]);
      const store = new StoreOpening(engine, createManualClock());
      const opening = store.open({ firstDelayMs: 60_000 });
      while (calls.open < 1) await Bun.sleep(1);
      await store.close();
      await expect(opening).rejects.toMatchObject({ code: "DBUS_STO_UNREACHABLE" });
      expect(calls).toEqual({ open: 1, close: 1 });
    });
  });

  describe("when the store keeps the start waiting", () => {
    /** A local engine whose open() runs until told, saying what it does through status(). */
    function slowLocalEngine() {
      let finish = () => {};
      const own = { ready: false, text: "no index snapshot: reading the entry folders of client acme, 2,000 of 6,000" };
      const engine = { status: () => own, open: () => new Promise<void>((resolve) => (finish = resolve)), close: async () => {} };
      return { engine: engine as unknown as Database, own, finish: () => finish() };
    }

    it("says it is still opening after a while, then its progress when it changed, and nothing once ended", async () => {
      const { engine, own, finish } = slowLocalEngine();
      const store = new StoreOpening(engine, createManualClock());
      const lines: string[] = [];
      const quiet = store.announce("json", "http://127.0.0.1:8080/", (l) => lines.push(l), { firstMs: 5, everyMs: 10 });
      const opening = store.open();
      await until(() => lines.length >= 1);
      await Bun.sleep(30); // three progress checks: the text has not changed, nothing more is said
      expect(lines).toEqual([
        "The json store is still opening (no index snapshot: reading the entry folders of client acme, 2,000 of 6,000); the console answers at http://127.0.0.1:8080/ meanwhile.",
      ]);
      own.text = "no index snapshot: reading the entry folders of client acme, 4,000 of 6,000";
      await until(() => lines.length >= 2);
      await Bun.sleep(30);
      expect(lines.at(-1)).toBe("Still opening the store: no index snapshot: reading the entry folders of client acme, 4,000 of 6,000.");
      expect(lines).toHaveLength(2);
      finish();
      await opening;
      quiet();
      own.text = "changed after the end";
      await Bun.sleep(30);
      expect(lines).toHaveLength(2);
    });

    it("says nothing when the store opens before the first line is due", async () => {
      const { engine, finish } = slowLocalEngine();
      const store = new StoreOpening(engine, createManualClock());
      const lines: string[] = [];
      const quiet = store.announce("json", "http://127.0.0.1:8080/", (l) => lines.push(l), { firstMs: 20, everyMs: 10 });
      const opening = store.open();
      finish();
      await opening;
      quiet();
      await Bun.sleep(40);
      expect(lines).toEqual([]);
    });

    it("for SQL Server, says it is not reachable yet and that it keeps trying, without a line per attempt", async () => {
      const own = { ready: false, text: "connecting to db:1433/databus, attempt 2: refused" };
      const engine = { status: () => own, open: () => new Promise<void>(() => {}), close: async () => {} } as unknown as Database;
      const store = new StoreOpening(engine, createManualClock());
      const lines: string[] = [];
      const quiet = store.announce("mssql", "http://127.0.0.1:8080/", (l) => lines.push(l), { firstMs: 5, everyMs: 10 });
      void store.open();
      await until(() => lines.length >= 1);
      own.text = "connecting to db:1433/databus, attempt 3: refused";
      await Bun.sleep(30);
      quiet();
      expect(lines).toEqual([
        "Storage is not reachable yet (mssql connecting to db:1433/databus, attempt 2: refused); the console answers at http://127.0.0.1:8080/ and Databus keeps trying.",
      ]);
    });
  });
});
