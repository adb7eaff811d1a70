import { describe, expect, it } from "bun:test";
import { checkPluginName, loadFailure, validatePluginModule } from "../../../src/plugins/validate";
import { Database, Passenger, Processor, Puller, Pusher, Report, type ReportTable } from "../../../src/sdk/index";

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe("validatePluginModule", () => {
  describe("when the default export extends an SDK class", () => {
    it("records the kind of each base class", () => {
      class Pl extends Puller { pull() { return []; } }
      class Pr extends Processor { process() {} }
      class Pu extends Pusher { push() {} }
      class Pa extends Passenger {}
      abstract class Db extends Database {}
      class Re extends Report { title = "r"; run() { return { columns: [], rows: [] }; } }
      const kinds = [Pl, Pr, Pu, Pa, Db, Re].map((cls) => validatePluginModule("n", "/f.ts", "f.ts", { default: cls }).kind);
      expect(kinds).toEqual(["puller", "processor", "pusher", "passenger", "database", "report"]);
    });
  });

  describe("when the default export is not an SDK class", () => {
    it.each([
      ["no default", { named: 1 }, "only `named`"],
      ["a function", { default: function f() {} }, "a function"],
      ["a plain class", { default: class Thing {} }, "extends nothing"],
      ["a number", { default: 42 }, "type number"],
    ])("raises DBUS_PLG_BAD_EXPORT for %s", (_what, mod, got) => {
      try {
        validatePluginModule("n", "/f.ts", "plugins/f.ts", mod);
        throw new Error("expected a throw");
      } catch (e) {
        expect((e as { code: string }).code).toBe("DBUS_PLG_BAD_EXPORT");
        expect((e as Error).message).toContain(got);
        expect((e as Error).message).toContain("plugins/f.ts");
      }
    });
  });

  describe("when a required method is missing", () => {
    it("raises DBUS_PLG_MISSING_METHOD for pullers, processors and pushers", () => {
      // @ts-expect-error deliberately incomplete, as a plain-JS plugin could be
      class Pl extends Puller {}
      // @ts-expect-error deliberately incomplete
      class Pr extends Processor {}
      // @ts-expect-error deliberately incomplete
      class Pu extends Pusher {}
      for (const cls of [Pl, Pr, Pu]) {
        expect(codeOf(() => validatePluginModule("n", "/f.ts", "f.ts", { default: cls }))).toBe("DBUS_PLG_MISSING_METHOD");
      }
    });
  });
});

describe("validatePluginModule for reports", () => {
  const table = (): ReportTable => ({ columns: [], rows: [] });
  /** A report class with the given instance fields (as a plain-JS plugin could set anything). */
  const reportWith = (fields: Record<string, unknown>) =>
    class extends Report {
      title = "T";
      constructor() {
        super();
        Object.assign(this, fields);
      }
      run() {
        return table();
      }
    };
  const problemOf = (cls: unknown): string | undefined => {
    try {
      validatePluginModule("acme/r", "/f.ts", "f.ts", { default: cls });
    } catch (e) {
      expect((e as { code: string }).code).toBe("DBUS_PLG_BAD_REPORT");
      return (e as Error).message;
    }
    return undefined;
  };

  describe("when the class extends Report", () => {
    it("records the kind report", () => {
      expect(validatePluginModule("acme/r", "/f.ts", "f.ts", { default: reportWith({}) }).kind).toBe("report");
    });

    it("accepts every parameter type with fitting defaults", () => {
      const parameters = [
        { name: "period", label: "Period", type: "period" },
        { name: "day", label: "Day", type: "date", default: "2026-06-01" },
        { name: "n", label: "N", type: "number", default: 2.5 },
        { name: "q", label: "Text", type: "text", default: "" },
        { name: "state", label: "State", type: "choice", choices: ["a", "b"], default: "b", required: true },
      ];
      expect(problemOf(reportWith({ parameters }))).toBeUndefined();
    });
  });

  describe("when run() is missing", () => {
    it("raises DBUS_PLG_MISSING_METHOD", () => {
      // @ts-expect-error deliberately incomplete, as a plain-JS plugin could be
      class NoRun extends Report {
        title = "x";
      }
      expect(codeOf(() => validatePluginModule("acme/r", "/f.ts", "f.ts", { default: NoRun }))).toBe("DBUS_PLG_MISSING_METHOD");
    });
  });

  describe("when the report's fields are wrong", () => {
    it.each([
      ["no title", { title: " " }, "has no title"],
      ["a description that is not text", { description: 3 }, "description that is not text"],
      ["a timeout of zero", { timeout: 0 }, "has the timeout 0"],
      ["a timeout over ten minutes", { timeout: 601 }, "has the timeout 601"],
      ["parameters that are not a list", { parameters: "period" }, "not a list"],
      ["a parameter without a valid name", { parameters: [{ name: "Bad Name", label: "x", type: "text" }] }, "parameter 1 without a valid name"],
      ["a parameter named client", { parameters: [{ name: "client", label: "x", type: "text" }] }, "`client`, which the console uses itself"],
      ["a parameter without a label", { parameters: [{ name: "x", label: "", type: "text" }] }, "(`x`) without a label"],
      ["an unknown type", { parameters: [{ name: "x", label: "X", type: "time" }] }, "with the type time; use period, date, text, number, choice"],
      ["a choice without choices", { parameters: [{ name: "x", label: "X", type: "choice" }] }, "without a list of choices"],
      ["a default that is not a day", { parameters: [{ name: "x", label: "X", type: "date", default: "2026-02-30" }] }, 'default "2026-02-30" does not fit its type date'],
      ["a default outside the choices", { parameters: [{ name: "x", label: "X", type: "choice", choices: ["a"], default: "b" }] }, "does not fit its type choice"],
      [
        "two parameters sharing a field",
        { parameters: [{ name: "p", label: "P", type: "period" }, { name: "p_from", label: "F", type: "date" }] },
        "parameter 2 (`p_from`) whose field p_from is taken",
      ],
    ])("raises DBUS_PLG_BAD_REPORT for %s, naming the report", (_what, fields, problem) => {
      const message = problemOf(reportWith(fields));
      expect(message).toContain("`acme/r`");
      expect(message).toContain(problem);
    });

    it("raises DBUS_PLG_BAD_REPORT when the constructor throws", () => {
      class Throws extends Report {
        title = "x";
        constructor() {
          super();
          throw new Error("no config file");
        }
        run() {
          return table();
        }
      }
      expect(problemOf(Throws)).toContain("could not be created: no config file");
    });
  });
});

describe("checkPluginName", () => {
  describe("when a user plugin sits under databus/", () => {
    it("raises DBUS_PLG_RESERVED_NAME; other names pass", () => {
      expect(codeOf(() => checkPluginName("databus/x", "plugins/databus/x.ts"))).toBe("DBUS_PLG_RESERVED_NAME");
      expect(codeOf(() => checkPluginName("databusy/x", "plugins/databusy/x.ts"))).toBeUndefined();
    });
  });
});

describe("loadFailure", () => {
  describe("when the error is a build message with a position", () => {
    it("takes the line from the position and ends the reason with a full stop", () => {
      const e = loadFailure("/h/plugins/a.ts", "plugins/a.ts", { message: "Unexpected }", position: { file: "/h/plugins/a.ts", line: 7 } });
      expect(e.code).toBe("DBUS_PLG_LOAD_FAILED");
      expect(e.params).toEqual({ file: "plugins/a.ts", reason: "Unexpected }.", line: 7 });
    });
  });

  describe("when the error comes from a dependency", () => {
    it("leaves the line out rather than pointing at the wrong file", () => {
      const err = new Error("boom");
      err.stack = "Error: boom\n    at /h/plugins/helper.ts:3:9";
      expect(loadFailure("/h/plugins/a.ts", "plugins/a.ts", err).params).toEqual({ file: "plugins/a.ts", reason: "boom." });
    });
  });
});
