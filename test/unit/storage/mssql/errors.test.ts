/** SQL Server and driver failures become the catalogue codes every engine raises. */
import { describe, expect, it } from "bun:test";
import { DatabusError } from "../../../../src/core/errors";
import { connectFailure, isDuplicateKey, queryFailure, sqlErrorNumber } from "../../../../src/storage/mssql/errors";

const where = { host: "db:1433/q", user: "sa", retrySeconds: 30, connectTimeoutMs: 5000, requestTimeoutMs: 8000 };
/** The shape mssql gives: a wrapper with `code` and `originalError`, sometimes wrapped again by drizzle (`cause`). */
const native = (fields: Record<string, unknown>) => ({ cause: { name: "RequestError", message: "x", originalError: { ...fields, message: String(fields.message ?? "native") } } });

describe("mssql errors", () => {
  describe("when a connection fails", () => {
    it("maps a failed login to DBUS_STO_LOGIN_FAILED naming host and user", () => {
      const e = connectFailure({ code: "ELOGIN", message: "Login failed for user 'sa'." }, where);
      expect(e.code).toBe("DBUS_STO_LOGIN_FAILED");
      expect(e.message).toBe("The SQL Server at db:1433/q refused the login of user sa.");
    });

    it("maps an unknown host to DBUS_STO_UNREACHABLE with the reason", () => {
      const e = connectFailure({ code: "ESOCKET", message: "getaddrinfo ENOTFOUND db" }, where);
      expect(e.code).toBe("DBUS_STO_UNREACHABLE");
      expect(e.message).toContain("(the host name is not known)");
    });
  });

  describe("when a statement fails", () => {
    it("finds the error number through drizzle's and mssql's wrappers", () => {
      expect(sqlErrorNumber(native({ number: 2627 }))).toBe(2627);
      expect(isDuplicateKey(native({ number: 2601 }))).toBe(true);
      expect(isDuplicateKey(native({ number: 547 }))).toBe(false);
    });

    it("maps 'could not allocate space' and a full log to DBUS_STO_DISK_FULL", () => {
      expect(queryFailure(native({ number: 1105 }), where).code).toBe("DBUS_STO_DISK_FULL");
      expect(queryFailure(native({ number: 9002 }), where).code).toBe("DBUS_STO_DISK_FULL");
    });

    it("maps a request timeout and a lost connection to DBUS_STO_UNREACHABLE", () => {
      expect(queryFailure({ code: "ETIMEOUT", message: "Timeout: Request failed to complete in 8000ms" }, where).message).toContain("a statement took longer than 8 seconds");
      expect(queryFailure({ code: "ECONNCLOSED", message: "Connection is closed." }, where).code).toBe("DBUS_STO_UNREACHABLE");
    });

    it("maps anything else to DBUS_STO_WRITE_FAILED with the error number only", () => {
      const e = queryFailure(native({ number: 208, message: "Invalid object name 'secret_table'." }), where);
      expect(e.code).toBe("DBUS_STO_WRITE_FAILED");
      expect(e.message).toContain("SQL Server error 208");
      expect(e.message).not.toContain("secret_table");
    });

    it("passes catalogue errors through unchanged", () => {
      const mine = new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client: "acme", id: "e1" });
      expect(queryFailure(mine, where)).toBe(mine);
    });
  });
});
