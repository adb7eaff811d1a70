import { describe, expect, it } from "bun:test";
import { Report, type ReportTable } from "../../../src/sdk/index";

describe("Report", () => {
  describe("when a report sets only its title and run()", () => {
    it("has no description, no parameters and a 30-second timeout", () => {
      class Minimal extends Report {
        title = "Minimal";
        run(): ReportTable {
          return { columns: [], rows: [] };
        }
      }
      const r = new Minimal();
      expect([r.title, r.description, r.parameters, r.timeout]).toEqual(["Minimal", "", [], 30]);
    });
  });

  describe("when a report declares its own fields", () => {
    it("keeps them over the defaults", () => {
      class Full extends Report<{ n: number | null }> {
        title = "Full";
        override description = "All of it.";
        override timeout = 5;
        override parameters = [{ name: "n", label: "N", type: "number" as const, default: 3 }];
        run(_q: unknown, params: { n: number | null }): ReportTable {
          return { columns: [{ key: "n", label: "N" }], rows: [{ n: params.n }] };
        }
      }
      const r = new Full();
      expect([r.description, r.timeout, r.parameters.map((p) => p.name)]).toEqual(["All of it.", 5, ["n"]]);
    });
  });
});
