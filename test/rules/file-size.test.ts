/** Module size (STYLE.md): every src/ file over 400 lines fails unless it is allowlisted with a reason. */
import { describe, expect, it } from "bun:test";
import { listSourceFiles, readSource } from "./source-files";

export const MAX_LINES = 400;

/** Files allowed to be longer, each with the reason it stays one file. Paths are relative to src/. */
export const LONG_FILES_ALLOWED: Record<string, string> = {
  "core/errors.ts": "flat catalogue table: one entry per code, read top to bottom",
};

export const lineCount = (text: string): number => (text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length);

/** Files over the limit that nobody explained, as `file: N lines`. */
export function tooLong(files: Array<{ file: string; text: string }>, allowed = LONG_FILES_ALLOWED): string[] {
  return files
    .map(({ file, text }) => ({ file, lines: lineCount(text) }))
    .filter(({ file, lines }) => lines > MAX_LINES && !(file in allowed))
    .map(({ file, lines }) => `src/${file}: ${lines} lines (split it, or allowlist it with a reason)`);
}

describe("file size", () => {
  describe("when measuring src/", () => {
    it("finds no file over 400 lines outside the allowlist", () => {
      expect(tooLong(listSourceFiles().map((file) => ({ file, text: readSource(file) })))).toEqual([]);
    });

    it("gives every allowlisted file a reason", () => {
      for (const reason of Object.values(LONG_FILES_ALLOWED)) expect(reason.trim().length).toBeGreaterThan(10);
    });
  });

  describe("when checking the rule itself", () => {
    const long = "x\n".repeat(MAX_LINES + 1);

    it("flags a long file", () => {
      expect(tooLong([{ file: "web/app.ts", text: long }])).toEqual(["src/web/app.ts: 401 lines (split it, or allowlist it with a reason)"]);
    });

    it("lets an allowlisted long file and a file at the limit pass", () => {
      expect(tooLong([{ file: "core/errors.ts", text: long }])).toEqual([]);
      expect(tooLong([{ file: "web/app.ts", text: "x\n".repeat(MAX_LINES) }])).toEqual([]);
    });
  });
});
