/**
 * Loopback failure tests for the mssql engine: a refused port and a listener that never answers give
 * clear catalogue errors within the configured timeouts, with no password anywhere in the message.
 * Also: connection-string parsing and redaction, and the retry status /readyz reads.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createServer, type Server, type Socket } from "node:net";
import { DatabusError } from "../../../../src/core/errors";
import { parseConnectionString, redactConnectionString } from "../../../../src/storage/mssql/connection";
import { createMssqlDatabase } from "../../../../src/storage/mssql/index";

const PASSWORD = "S3cret-Pa55word!";

/** A port on 127.0.0.1 with nothing listening: bind, read the port, close. */
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

function expectNoSecret(error: DatabusError): void {
  for (const text of [error.message, error.hint, JSON.stringify(error.safeParams)]) expect(text).not.toContain(PASSWORD);
}

describe("mssql connection", () => {
  describe("when the connection string is parsed", () => {
    it("reads the URL form with host, port, database and user", () => {
      const t = parseConnectionString(`mssql://databus:${encodeURIComponent(PASSWORD)}@db.example:1444/queue?encrypt=false`);
      expect(t.host).toBe("db.example:1444/queue");
      expect(t.user).toBe("databus");
      expect(t.config.password).toBe(PASSWORD);
      expect(t.config.options?.encrypt).toBe(false);
    });

    it("reads the ADO form", () => {
      const t = parseConnectionString(`Server=db.example,1433;Database=queue;User Id=databus;Password=${PASSWORD};`);
      expect(t.host).toBe("db.example:1433/queue");
      expect(t.user).toBe("databus");
    });

    it("sets the connect and request timeouts", () => {
      const t = parseConnectionString("mssql://u:p@h/db", { connectTimeoutMs: 1234, requestTimeoutMs: 5678 });
      expect(t.config.connectionTimeout).toBe(1234);
      expect(t.config.requestTimeout).toBe(5678);
    });

    it("raises DBUS_STO_BAD_URL for an empty string", () => {
      expect(() => parseConnectionString("  ")).toThrow(expect.objectContaining({ code: "DBUS_STO_BAD_URL" }));
    });
  });

  describe("when a connection string is shown", () => {
    it("hides the password of the URL form", () => {
      const shown = redactConnectionString(`mssql://databus:${PASSWORD}@db:1433/q`);
      expect(shown).not.toContain(PASSWORD);
      expect(shown).toContain("databus:***@db:1433");
    });

    it("hides Password= and Pwd= of the ADO form, quoted or not", () => {
      for (const s of [`Server=h;Password=${PASSWORD};Database=q`, `Server=h;pwd='${PASSWORD}'`, `Server=h; PASSWORD = {${PASSWORD}}`]) {
        const shown = redactConnectionString(s);
        expect(shown).not.toContain(PASSWORD);
        expect(shown).toContain("***");
      }
    });
  });

  describe("when the port refuses connections", () => {
    it("raises DBUS_STO_UNREACHABLE saying the connection was refused, without the password", async () => {
      const port = await closedPort();
      const db = createMssqlDatabase(`mssql://sa:${PASSWORD}@127.0.0.1:${port}/databus?encrypt=false`, { connectTimeoutMs: 2000 });
      const error = await failureOf(db.open({ readOnly: true }));
      expect(error.code).toBe("DBUS_STO_UNREACHABLE");
      expect(error.message).toBe(`The SQL Server at 127.0.0.1:${port}/databus cannot be reached (the connection was refused).`);
      expectNoSecret(error);
      expect(db.connectionStatus()).toMatchObject({ state: "connecting", attempts: 1, lastError: { code: "DBUS_STO_UNREACHABLE" } });
      await db.close();
    });
  });

  describe("when the listener accepts and never answers", () => {
    let server: Server;
    let port = 0;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      server = createServer((socket) => void sockets.push(socket)); // reads nothing, writes nothing
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });

    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("raises DBUS_STO_UNREACHABLE naming the connect timeout, without the password", async () => {
      const db = createMssqlDatabase(`Server=127.0.0.1,${port};Database=databus;User Id=sa;Password=${PASSWORD};Encrypt=false`, { connectTimeoutMs: 1000 });
      const error = await failureOf(db.open({ readOnly: true }));
      expect(error.code).toBe("DBUS_STO_UNREACHABLE");
      expect(error.message).toBe(`The SQL Server at 127.0.0.1:${port}/databus cannot be reached (no answer within 1 second).`);
      expectNoSecret(error);
      expect(sockets.length).toBeGreaterThan(0);
      await db.close();
    });
  });
});
