import { describe, expect, it } from "bun:test";
import { checkPluginName, loadFailure, validatePluginModule } from "../../../src/plugins/validate";
import { Database, Passenger, Processor, Puller, Pusher } from "../../../src/sdk/index";

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
      const kinds = [Pl, Pr, Pu, Pa, Db].map((cls) => validatePluginModule("n", "/f.ts", "f.ts", { default: cls }).kind);
      expect(kinds).toEqual(["puller", "processor", "pusher", "passenger", "database"]);
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
