import { describe, expect, it } from "bun:test";
import { DriverOptions, withCodeDefaults as sharedDefaults } from "../../../../src/drivers/shared/options";
import { withCodeDefaults as mailDefaults } from "../../../../src/drivers/mail/mail-options";
import { fakeContext } from "../fake-context";

{
  describe("DriverOptions", () => {
    const o = (raw: Record<string, unknown>) => new DriverOptions("databus/x/y", raw);

    describe("when options are present and right", () => {
      it("returns them, and fallbacks for absent ones", () => {
        const opts = o({ folder: "in", patterns: "*.csv", mode: "b", on: true, n: 3, headers: { A: "1" } });
        expect(opts.text("folder")).toBe("in");
        expect(opts.text("other", "dflt")).toBe("dflt");
        expect(opts.texts("patterns", [])).toEqual(["*.csv"]);
        expect(opts.choice("mode", ["a", "b"] as const, "a")).toBe("b");
        expect(opts.boolean("on", false)).toBe(true);
        expect(opts.number("n", 1, 1, 5)).toBe(3);
        expect(opts.textRecord("headers")).toEqual({ A: "1" });
        expect(opts.textRecord("none")).toEqual({});
      });
    });

    describe("when an option is wrong", () => {
      it("throws an UnrecoverableError naming the driver and option, without echoing the value", () => {
        const cases: Array<[() => unknown, string]> = [
          [() => o({}).text("url"), "the option `url` is required"],
          [() => o({ url: 5 }).text("url"), "the option `url` must be a non-empty text, not a number"],
          [() => o({ p: [] }).texts("p", []), "the option `p` must be a text or a non-empty list of texts"],
          [() => o({ m: "secret-ish" }).choice("m", ["a"], "a"), 'the option `m` must be one of "a", not a string'],
          [() => o({ b: "yes" }).boolean("b", false), "the option `b` must be true or false, not a string"],
          [() => o({ n: 0 }).number("n", 1, 1, 5), "the option `n` must be a number from 1 to 5, not a number"],
          [() => o({ h: { A: 1 } }).textRecord("h"), "the option `h` must be an object whose values are texts"],
        ];
        for (const [read, text] of cases) {
          const e = (() => { try { read(); } catch (x) { return x as Error & { code: string }; } throw new Error(`no error for ${text}`); })();
          expect(e.code).toBe("DBUS_RUN_UNRECOVERABLE");
          expect(e.message).toBe(`databus/x/y: ${text}. Fix it in the client's configuration.`);
          expect(e.message).not.toContain("secret-ish");
        }
      });
    });
  });
}

// The mail drivers re-export the shared one; both names must behave the same.
for (const [room, withCodeDefaults] of [["shared", sharedDefaults], ["mail", mailDefaults]] as const) {
  describe(`withCodeDefaults (${room})`, () => {
    describe("when a subclass gives options in code and the config gives some too", () => {
      it("lets the config win key by key, keeps code defaults the config leaves out or null, and keeps the rest of the context", () => {
        const ctx = fakeContext({ driver: "acme/inbox", options: { folder: "Orders", port: null, search: { seen: true } } });
        const merged = withCodeDefaults(ctx, { host: "imap.example.com", folder: "INBOX", port: 993, search: { from: "a@b" } });
        expect(merged.options).toEqual({ host: "imap.example.com", folder: "Orders", port: 993, search: { seen: true } });
        expect([merged.driver, merged.log, merged.state, merged.signal]).toEqual([ctx.driver, ctx.log, ctx.state, ctx.signal]);
        expect(ctx.options).toEqual({ folder: "Orders", port: null, search: { seen: true } });
      });
    });

    describe("when the subclass gives no options", () => {
      it("returns the context itself", () => {
        const ctx = fakeContext({ options: { a: 1 } });
        expect(withCodeDefaults(ctx, {})).toBe(ctx);
      });
    });
  });
}
