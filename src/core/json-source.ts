/**
 * A small JSON reader that remembers where every value starts, so config errors can name the line
 * and column of a field (JSON.parse tells neither). Pure; accepts exactly RFC 8259 JSON.
 */

export interface JsonPosition {
  line: number;
  column: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly position: JsonPosition,
    reason: string,
  ) {
    super(reason);
  }
}

export interface ParsedJson {
  value: unknown;
  /** Line and column where the value at a path starts; paths look like `passengers[0].pullers[1]`. */
  positionOf(path: string): JsonPosition | undefined;
}

export function parseJsonWithPositions(text: string): ParsedJson {
  const positions = new Map<string, JsonPosition>();
  let i = 0;
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const pos = (at: number): JsonPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - lineStarts[lo]! + 1 };
  };
  const fail = (reason: string): never => {
    throw new JsonSyntaxError(pos(i), reason);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const value = (path: string): unknown => {
    ws();
    positions.set(path, pos(i));
    const c = text[i];
    if (c === "{") return object(path);
    if (c === "[") return array(path);
    if (c === '"') return string();
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return fail(c === undefined ? "the text ends too early" : `unexpected ${JSON.stringify(c)}`);
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const string = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) fail("a line break or control character inside a string");
      i++;
    }
    if (i >= text.length) fail("a string is not closed");
    i++;
    try {
      return JSON.parse(text.slice(start, i));
    } catch {
      i = start;
      return fail("a string has an invalid escape");
    }
  };
  const object = (path: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    i++;
    ws();
    if (text[i] === "}") return i++, out;
    for (;;) {
      ws();
      if (text[i] !== '"') fail("expected a property name in double quotes");
      const key = string();
      ws();
      if (text[i] !== ":") fail(`expected ":" after ${JSON.stringify(key)}`);
      i++;
      // defineProperty, not assignment: a "__proto__" key must stay an own key, as JSON.parse keeps it.
      Object.defineProperty(out, key, { value: value(path ? `${path}.${key}` : key), enumerable: true, writable: true, configurable: true });
      ws();
      if (text[i] === ",") (i++);
      else if (text[i] === "}") return i++, out;
      else fail('expected "," or "}"');
    }
  };
  const array = (path: string): unknown[] => {
    const out: unknown[] = [];
    i++;
    ws();
    if (text[i] === "]") return i++, out;
    for (;;) {
      out.push(value(`${path}[${out.length}]`));
      ws();
      if (text[i] === ",") i++;
      else if (text[i] === "]") return i++, out;
      else fail('expected "," or "]"');
    }
  };
  const result = value("");
  ws();
  if (i < text.length) fail("unexpected text after the end");
  return { value: result, positionOf: (p) => positions.get(p) };
}
