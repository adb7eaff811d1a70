/**
 * The mssql session: retries with backoff while the server is down at start, reports its state for
 * /readyz and the System page, stops when closed, and refuses statements before it is connected.
 */
import { describe, expect, it } from "bun:test";
import { createServer } from "node:net";
import { DatabusError } from "../../../../src/core/errors";
import { createMssqlDatabase } from "../../../../src/storage/mssql/index";

const PASSWORD = "S3cret-Pa55word!";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failureOf(p: Promise<unknown>): Promise<DatabusError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DatabusError);
    return e as DatabusError;
  }
  throw new Error("expected the promise to reject");
}

describe("mssql session", () => {
  describe("when the server is down at start", () => {
    it("keeps retrying with backoff and reports each attempt in status()", async () => {
      const port = await closedPort();
      const db = createMssqlDatabase(`mssql://sa:${PASSWORD}@127.0.0.1:${port}/databus`, { retry: { firstDelayMs: 10, maxDelayMs: 20, maxAttempts: 3 } });
      const error = await failureOf(db.open());
      expect(error.code).toBe("DBUS_STO_UNREACHABLE");
      expect(db.connectionStatus()).toMatchObject({ state: "connecting", attempts: 3, host: `127.0.0.1:${port}/databus` });
      expect(db.isReady()).toBe(false);
      const status = db.status();
      expect(status.ready).toBe(false);
      expect(status.text).toStartWith(`connecting to 127.0.0.1:${port}/databus, attempt 3: The SQL Server at 127.0.0.1:${port}/databus cannot be reached`);
      expect(status.text).not.toContain(PASSWORD);
      // Retries keep the time the connecting began.
      expect(status.since).toBe(db.connectionStatus().since ?? "");
      await db.close();
      expect(db.connectionStatus().state).toBe("closed");
    });

    it("stops retrying when closed, so shutdown is not held up", async () => {
      const port = await closedPort();
      const db = createMssqlDatabase(`mssql://sa:${PASSWORD}@127.0.0.1:${port}/databus`, { retry: { firstDelayMs: 60_000 } });
      const opening = failureOf(db.open());
      while (db.connectionStatus().nextAttemptAt === null) await Bun.sleep(5);
      await db.close();
      expect((await opening).code).toBe("DBUS_STO_UNREACHABLE");
    });
  });

  describe("when a statement runs before the connection is up", () => {
    it("raises DBUS_STO_UNREACHABLE instead of a driver error", async () => {
      const db = createMssqlDatabase("mssql://sa:x@127.0.0.1:1/databus");
      expect((await failureOf(db.listClients())).code).toBe("DBUS_STO_UNREACHABLE");
    });
  });
  describe("when nothing was opened yet", () => {
    it("reports idle with the host and no password", () => {
      const db = createMssqlDatabase(`mssql://sa:${PASSWORD}@db.example:1433/q`);
      expect(db.connectionStatus()).toEqual({ state: "idle", host: "db.example:1433/q", attempts: 0, lastError: null, nextAttemptAt: null, since: null });
      expect(JSON.stringify(db.connectionStatus())).not.toContain(PASSWORD);
      expect(db.status()).toEqual({ ready: false, text: "not connected yet to db.example:1433/q", since: undefined });
    });
  });
});
