import { describe, expect, it } from "bun:test";
import { createServerLog } from "../../../src/cli/server-log";

const URL = "Server=db.example;Database=databus;User Id=sa;Password=Hunter2!;Encrypt=true";
const collect = (format: "text" | "json") => {
  const out: string[] = [];
  const err: string[] = [];
  const log = createServerLog({ format, secrets: [URL, null, "tok-123"], stdout: (l) => out.push(l), stderr: (l) => err.push(l), now: () => new Date("2026-03-01T08:00:00Z") });
  return { log, out, err };
};

describe("server log", () => {
  describe("in json", () => {
    it("writes one object per line with time, level, msg, the fields and the leading catalogue code", () => {
      const { log, out, err } = collect("json");
      log.write("error", "DBUS_CFG_INVALID_JSON The configuration of client acme is not valid JSON.", { client: "acme" });
      log.write("info", "Run finished", { client: "acme", definition: "acme/invoice", run: "0190", pulled: 3 });
      expect(err).toEqual([]);
      expect(out.map((l) => JSON.parse(l))).toEqual([
        { time: "2026-03-01T08:00:00.000Z", level: "error", msg: "DBUS_CFG_INVALID_JSON The configuration of client acme is not valid JSON.", client: "acme", code: "DBUS_CFG_INVALID_JSON" },
        { time: "2026-03-01T08:00:00.000Z", level: "info", msg: "Run finished", client: "acme", definition: "acme/invoice", run: "0190", pulled: 3 },
      ]);
    });

    it("turns console output, a plugin's included, into JSON lines until undone", () => {
      const { log, out } = collect("json");
      const undo = log.captureConsole();
      try {
        console.log("plugin says %s", "hi", { n: 1 });
        console.warn("careful\nsecond line");
      } finally {
        undo();
      }
      expect(out.map((l) => JSON.parse(l))).toEqual([
        { time: "2026-03-01T08:00:00.000Z", level: "info", msg: "plugin says hi { n: 1 }" },
        { time: "2026-03-01T08:00:00.000Z", level: "warning", msg: "careful\nsecond line" },
      ]);
    });
  });

  describe("whatever the format", () => {
    it("masks the SQL Server url, passwords in connection strings and URLs, and the given tokens", () => {
      for (const format of ["text", "json"] as const) {
        const { log, out, err } = collect(format);
        log.write("error", `cannot connect with ${URL}`, { url: URL });
        log.write("error", "login failed: Server=other;Pwd=s3cr3t;Database=x and https://bob:pa55@host/path, token tok-123");
        const all = [...out, ...err].join("\n");
        for (const secret of ["Hunter2!", "s3cr3t", "pa55", "tok-123"]) expect(all).not.toContain(secret);
        expect(all).toContain("Pwd=[redacted]");
        expect(all).toContain("//bob:[redacted]@host");
      }
    });
  });

  describe("in text", () => {
    it("writes info to stdout and the rest to stderr, plain, and leaves the console alone", () => {
      const { log, out, err } = collect("text");
      const before = console.log;
      log.captureConsole();
      expect(console.log).toBe(before);
      log.write("info", "Databus is running");
      log.write("warning", "disk low");
      expect(out).toEqual(["Databus is running"]);
      expect(err).toEqual(["disk low"]);
    });
  });
});
