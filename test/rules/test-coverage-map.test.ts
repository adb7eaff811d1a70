/**
 * Every src/ module with logic has a unit test mirroring its path (src/x/y.ts → test/unit/x/y.test.ts).
 * Known gaps live in untested-modules.txt, one `path reason` per line; only unexplained gaps fail.
 */
import { describe, expect, it } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { hasLogic, modulesWithoutTests, parseAllowlist, testPathsFor } from "./coverage-map";

const ALLOWLIST = join(import.meta.dir, "untested-modules.txt");

describe("test coverage map", () => {
  describe("when comparing src/ with test/unit/", () => {
    const missing = modulesWithoutTests();
    const { entries, problems } = parseAllowlist(existsSync(ALLOWLIST) ? readFileSync(ALLOWLIST, "utf8") : "");

    it("finds a unit test, or an allowlisted reason, for every module with logic", () => {
      expect(missing.filter((m) => !entries.has(m))).toEqual([]);
    });

    it("gives every allowlisted gap a reason", () => {
      expect(problems).toEqual([]);
    });

    it("reports gaps that have been closed (remove them from untested-modules.txt)", () => {
      const closed = [...entries.keys()].filter((m) => !missing.includes(m));
      // Reported, not failed: other work adds tests all the time; the lead prunes the list.
      if (closed.length > 0) console.log(`untested-modules.txt lists modules that now have tests or are gone:\n  ${closed.join("\n  ")}`);
      expect(closed.every((m) => m.startsWith("src/"))).toBe(true);
    });
  });

  describe("when checking the rule itself", () => {
    it("counts functions, classes and values as logic", () => {
      expect(hasLogic("export function a() {}")).toBe(true);
      expect(hasLogic("export const A = 1;")).toBe(true);
      expect(hasLogic("export class A {}")).toBe(true);
    });

    it("does not count re-exports, types or comments as logic", () => {
      expect(hasLogic('export { a } from "./a";\nexport type { B } from "./b";\nexport * from "./c";')).toBe(false);
      expect(hasLogic("export interface A { f(): void }\nexport type B = (x: number) => string;")).toBe(false);
      expect(hasLogic("/** const x = 1; function f() {} */\n// class C {}\nexport type T = string;")).toBe(false);
    });

    it("mirrors the path under test/unit", () => {
      expect(testPathsFor("core/step-status.ts")).toContain("test/unit/core/step-status.test.ts");
      expect(testPathsFor("web/views/layout.tsx")).toContain("test/unit/web/views/layout.test.tsx");
    });

    it("requires a reason on each allowlist line", () => {
      const { entries, problems } = parseAllowlist("# known gaps\nsrc/a.ts being written\nsrc/b.ts\n");
      expect([...entries.keys()]).toEqual(["src/a.ts", "src/b.ts"]);
      expect(problems).toEqual(["untested-modules.txt:3: src/b.ts has no reason"]);
    });
  });
});
