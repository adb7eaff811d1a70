/** The position-keeping JSON reader: same values as JSON.parse, a position per path, errors with line and column. */
import { describe, expect, it } from "bun:test";
import { JsonSyntaxError, parseJsonWithPositions } from "../../../src/core/json-source";

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJsonWithPositions(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e;
    throw e;
  }
  throw new Error("expected a syntax error");
}

describe("parseJsonWithPositions", () => {
  describe("when the text is valid JSON", () => {
    it.each([
      '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9\\"q"], "b": {}, "c": []}',
      "  42  ",
      '"just a string"',
      '[{"a": {"b": [[]]}}]',
      '{"a": 1, "a": 2}',
    ])("reads %p exactly as JSON.parse does", (text) => {
      expect(parseJsonWithPositions(text).value).toEqual(JSON.parse(text));
    });

    it("keeps a __proto__ key as an own key, like JSON.parse", () => {
      const v = parseJsonWithPositions('{"__proto__": {"polluted": 1}}').value as Record<string, unknown>;
      expect(Object.keys(v)).toEqual(["__proto__"]);
      expect((v as { polluted?: number }).polluted).toBeUndefined();
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    });
  });

  describe("when asked where a value starts", () => {
    const text = '{\n  "users": [\n    { "name": "a" },\n    {\n      "name": "b"\n    }\n  ],\n  "n": 1\n}';
    const parsed = parseJsonWithPositions(text);

    it("gives line and column by path", () => {
      expect(parsed.positionOf("")).toEqual({ line: 1, column: 1 });
      expect(parsed.positionOf("users")).toEqual({ line: 2, column: 12 });
      expect(parsed.positionOf("users[0]")).toEqual({ line: 3, column: 5 });
      expect(parsed.positionOf("users[0].name")).toEqual({ line: 3, column: 15 });
      expect(parsed.positionOf("users[1].name")).toEqual({ line: 5, column: 15 });
      expect(parsed.positionOf("n")).toEqual({ line: 8, column: 8 });
    });

    it("knows nothing about paths that are not there", () => {
      expect(parsed.positionOf("users[2]")).toBeUndefined();
      expect(parsed.positionOf("missing")).toBeUndefined();
    });
  });

  describe("when the text is not JSON", () => {
    it.each([
      ["{\n  'a': 1\n}", 2, 3],
      ['{"a": 1,}', 1, 9],
      ["[1, 2,]", 1, 7],
      ['{"a": 01}', 1, 8],
      ["// comment\n{}", 1, 1],
      ['{"a": NaN}', 1, 7],
      ['{"a": "x\ny"}', 1, 9],
      ['{"a": "\\x"}', 1, 7],
      ['{"a": "open', 1, 12],
      ['{"a" 1}', 1, 6],
      ["{} {}", 1, 4],
      ["", 1, 1],
    ])("rejects %p at line %d, column %d", (text, line, column) => {
      expect(syntaxError(text).position).toEqual({ line, column });
    });

    it("says what it expected", () => {
      expect(syntaxError('{"a": 1 "b": 2}').message).toBe('expected "," or "}"');
      expect(syntaxError("[").message).toBe("the text ends too early");
    });
  });
});
