import { describe, expect, it } from "bun:test";
import { DatabusError } from "../../../src/core/errors";
import { EXIT_OK, EXIT_PROBLEMS } from "../../../src/cli/report";
import { closeAtStop } from "../../../src/cli/store-closing";

function terminal() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, to: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe("closeAtStop", () => {
  describe("when the store closes", () => {
    it("exits 0 and says nothing when it is quick", async () => {
      const t = terminal();
      expect(await closeAtStop(Promise.resolve(), { engine: "json", signal: "SIGTERM", ...t.to })).toBe(EXIT_OK);
      expect([...t.out, ...t.err]).toEqual([]);
    });

    it("says what it waits for when it takes over a second", async () => {
      const t = terminal();
      expect(await closeAtStop(Bun.sleep(1100), { engine: "json", signal: "SIGINT", ...t.to })).toBe(EXIT_OK);
      expect(t.out).toEqual(["Closing the store (writing the files of the changes its journal holds); SIGINT again exits now and loses nothing."]);
    });
  });

  describe("when the store cannot close (disk full)", () => {
    it("exits 1 with the problem, and says where the changes are", async () => {
      const t = terminal();
      const full = new DatabusError("DBUS_STO_DISK_FULL", { path: "/home/data" });
      expect(await closeAtStop(Promise.reject(full), { engine: "json", signal: "SIGTERM", ...t.to })).toBe(EXIT_PROBLEMS);
      expect(t.err[0]).toStartWith("DBUS_STO_DISK_FULL ");
      expect(t.err[1]).toBe("The changes whose files could not be written are kept in the journal; the next start writes them.");
      expect(t.out).toEqual([]);
    });

    it("says nothing about a journal for an engine without one", async () => {
      const t = terminal();
      expect(await closeAtStop(Promise.reject(new Error("connection lost")), { engine: "mssql", signal: "SIGTERM", ...t.to })).toBe(EXIT_PROBLEMS);
      expect(t.err).toEqual(["connection lost"]);
    });
  });
});
