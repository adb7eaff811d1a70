import { describe, expect, it } from "bun:test";
import { diffLines, diffStats, splitLines } from "../../../../src/web/views/line-diff";

const render = (before: string, after: string) => diffLines(before, after).map((l) => `${{ same: " ", added: "+", removed: "-" }[l.kind]}${l.text}`);

describe("line-diff", () => {
  describe("when both texts are equal", () => {
    it("marks every line the same", () => {
      expect(render("a\nb\n", "a\nb\n")).toEqual([" a", " b"]);
    });
  });

  describe("when a line changed in the middle", () => {
    it("shows the old line removed and the new one added, keeping the rest", () => {
      expect(render("a\nb\nc", "a\nB\nc")).toEqual([" a", "-b", "+B", " c"]);
    });
  });

  describe("when lines were inserted and deleted in several places", () => {
    it("keeps the longest common subsequence and lists each line once", () => {
      const lines = render("x\na\nb\nc\nd", "a\nc\ny\nd\nz");
      expect(lines).toEqual(["-x", " a", "-b", " c", "+y", " d", "+z"]);
      expect(diffStats(diffLines("x\na\nb\nc\nd", "a\nc\ny\nd\nz"))).toEqual({ added: 2, removed: 2 });
    });
  });

  describe("when one side is empty", () => {
    it("shows everything added or removed", () => {
      expect(render("", "a\nb")).toEqual(["+a", "+b"]);
      expect(render("a\nb", "")).toEqual(["-a", "-b"]);
    });
  });

  describe("when line endings differ or a final newline is missing", () => {
    it("compares lines, not line endings", () => {
      expect(render("a\r\nb\r\n", "a\nb")).toEqual([" a", " b"]);
      expect(splitLines("a\n\nb\n")).toEqual(["a", "", "b"]);
    });
  });

  describe("when the texts are large", () => {
    const text = (n: number, changed: (i: number) => boolean) => Array.from({ length: n }, (_, i) => `line ${changed(i) ? "changed " : ""}${i}`).join("\n");
    const keepsBothSides = (before: string, after: string) => {
      const lines = diffLines(before, after);
      expect(lines.filter((l) => l.kind !== "added").map((l) => l.text).join("\n")).toBe(before);
      expect(lines.filter((l) => l.kind !== "removed").map((l) => l.text).join("\n")).toBe(after);
      return diffStats(lines);
    };

    it("aligns a changed middle of 1,500 lines line by line", () => {
      expect(keepsBothSides(text(1500, () => false), text(1500, (i) => i % 7 === 0))).toEqual({ added: 215, removed: 215 });
    });

    it("shows a middle too big to align as removed then added, still every line of both sides", () => {
      expect(keepsBothSides(text(3000, () => false), text(3000, (i) => i % 7 === 0 || i === 2999))).toEqual({ added: 3000, removed: 3000 });
    });
  });
});
