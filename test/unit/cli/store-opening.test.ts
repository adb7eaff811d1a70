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
});
