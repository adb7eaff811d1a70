import { describe, expect, it } from "bun:test";
import { Report } from "../../../../../src/sdk/index";
import type { ReportPlugin } from "../../../../../src/web/deps";
import { describeReports, findReport, pluginReportHref, reportsFor } from "../../../../../src/web/pages/reports/plugin-catalog";

class Plain extends Report {
  title = "Plain";
  override description = "A plain report.";
  run() {
    return { columns: [], rows: [] };
  }
}
const plugin = (name: string, cls: ReportPlugin["cls"] = Plain): ReportPlugin => ({ name, cls });
const ALL = ["acme/own", "beta/theirs", "shared/common", "examples/by_day", "top_level", "gamma/not_a_client"].map((n) => plugin(n));

describe("reportsFor", () => {
  describe("when plugins sit in client folders and elsewhere", () => {
    it("gives a client its own folder's reports and every report outside other clients' folders", () => {
      expect(reportsFor(ALL, "acme", ["acme", "beta", "root"]).map((p) => p.name)).toEqual([
        "acme/own", "shared/common", "examples/by_day", "top_level", "gamma/not_a_client",
      ]);
      expect(reportsFor(ALL, "beta", ["acme", "beta"]).map((p) => p.name)).not.toContain("acme/own");
    });
  });
});

describe("findReport", () => {
  describe("when the name is not among the client's reports", () => {
    it.each([["beta/theirs"], ["../etc/passwd"], ["acme/own.ts"], [""]])("raises DBUS_WEB_NOT_FOUND for %p", (name) => {
      const available = reportsFor(ALL, "acme", ["acme", "beta"]);
      expect(() => findReport(available, name, "/reports/plugins/x")).toThrow(expect.objectContaining({ code: "DBUS_WEB_NOT_FOUND" }));
    });
  });

  it("finds a report the client may run", () => {
    expect(findReport(ALL, "shared/common", "/p").name).toBe("shared/common");
  });
});

describe("describeReports", () => {
  it("gives title and description, and the bare name when the constructor now throws", () => {
    class Broken extends Plain {
      constructor() {
        super();
        throw new Error("gone");
      }
    }
    expect(describeReports([plugin("acme/ok"), plugin("acme/broken", Broken)])).toEqual([
      { name: "acme/ok", title: "Plain", description: "A plain report." },
      { name: "acme/broken", title: "acme/broken", description: "" },
    ]);
  });
});

describe("pluginReportHref", () => {
  it("puts the name in the path, with the format as a suffix", () => {
    expect([pluginReportHref("acme/x"), pluginReportHref("acme/x", "csv")]).toEqual(["/reports/plugins/acme/x", "/reports/plugins/acme/x.csv"]);
  });
});
