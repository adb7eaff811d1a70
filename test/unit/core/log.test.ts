/** Log levels: the worst level shown in lists, and level thresholds. */
import { describe, expect, it } from "bun:test";
import { LOG_LEVELS, isAtLeast, worstLevel } from "../../../src/core/log";

describe("worstLevel", () => {
  describe("when given levels", () => {
    it("returns the worst of them", () => {
      expect(worstLevel(["info", "error", "warning"])).toBe("error");
      expect(worstLevel(["info", "warning", "info"])).toBe("warning");
    });

    it("reads any iterable", () => {
      expect(worstLevel(new Set(["warning" as const]))).toBe("warning");
    });
  });

  describe("when given none", () => {
    it("returns info, or the level it starts from", () => {
      expect(worstLevel([])).toBe("info");
      expect(worstLevel([], "warning")).toBe("warning");
      expect(worstLevel(["info"], "error")).toBe("error");
    });
  });
});

describe("isAtLeast", () => {
  describe("when comparing levels", () => {
    it("orders info < warning < error", () => {
      const table = LOG_LEVELS.map((l) => LOG_LEVELS.filter((m) => isAtLeast(l, m)));
      expect(table).toEqual([["info"], ["info", "warning"], ["info", "warning", "error"]]);
    });
  });
});
