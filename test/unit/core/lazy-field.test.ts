import { describe, expect, it } from "bun:test";
import { lazyField } from "../../../src/core/lazy-field";

describe("lazyField", () => {
  it("computes the value on first read, once", () => {
    let calls = 0;
    const o = lazyField({ a: 1 } as { a: number; b: number[] }, "b", () => {
      calls++;
      return [2];
    });
    expect(calls).toBe(0);
    expect(o.b).toEqual([2]);
    expect(o.b).toBe(o.b);
    expect(calls).toBe(1);
  });

  it("looks like a plain field to spread, JSON, keys and equality, in its place", () => {
    const o = lazyField({ a: 1 } as { a: number; b: string; c?: number }, "b", () => "x");
    o.c = 3;
    expect(Object.keys(o)).toEqual(["a", "b", "c"]);
    expect(JSON.stringify(o)).toBe('{"a":1,"b":"x","c":3}');
    expect({ ...o }).toEqual({ a: 1, b: "x", c: 3 });
    expect(o).toEqual({ a: 1, b: "x", c: 3 });
  });

  it("takes an assignment as a plain value, without computing", () => {
    let calls = 0;
    const o = lazyField({} as { b: string }, "b", () => {
      calls++;
      return "computed";
    });
    o.b = "assigned";
    expect(o.b).toBe("assigned");
    expect(calls).toBe(0);
    expect(Object.getOwnPropertyDescriptor(o, "b")).toMatchObject({ value: "assigned", writable: true, enumerable: true });
  });

  it("throws the computation's error where the field is read, and again on the next read", () => {
    const o = lazyField({} as { b: unknown }, "b", () => JSON.parse("{"));
    expect(() => o.b).toThrow(SyntaxError);
    expect(() => o.b).toThrow(SyntaxError);
  });
});
