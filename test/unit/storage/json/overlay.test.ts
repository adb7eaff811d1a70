import { describe, expect, it } from "bun:test";
import { Binary } from "../../../../src/storage/json/journal-ops";
import { orderingKey, Overlay } from "../../../../src/storage/json/overlay";

const text = (peeked: ReturnType<Overlay["peek"]>) =>
  peeked && peeked !== "absent" ? (typeof peeked.content === "string" ? peeked.content : new TextDecoder().decode(peeked.content)) : peeked;

describe("Overlay", () => {
  it("answers nothing for a path without pending changes (read the file)", () => {
    expect(new Overlay().peek("clients/a/x.json")).toBeUndefined();
  });

  it("lets the newest change decide between a file, its folder and a removal above it", () => {
    const o = new Overlay();
    o.add(1, { ops: [{ op: "folder", path: "q/e", files: [{ name: "s.json", text: "v1" }] }] });
    expect(text(o.peek("q/e/s.json"))).toBe("v1");
    expect(o.peek("q/e/other.json")).toBe("absent");
    o.add(2, { ops: [{ op: "write", path: "q/e/s.json", text: "v2" }] });
    expect(text(o.peek("q/e/s.json"))).toBe("v2");
    o.add(3, { ops: [{ op: "remove", path: "q/e" }] });
    expect(o.peek("q/e/s.json")).toBe("absent");
    o.add(4, { ops: [{ op: "write", path: "q/e/s.json", text: "v4" }] });
    expect(text(o.peek("q/e/s.json"))).toBe("v4");
  });

  it("decodes base64 content to bytes", () => {
    const o = new Overlay();
    o.add(1, { ops: [{ op: "write", path: "b.bin", base64: "AAEC" }] });
    expect(o.peek("b.bin")).toEqual({ content: Buffer.from([0, 1, 2]) });
  });

  it("gives each reader its own copy of decoded bytes: changing one changes no later read", () => {
    const o = new Overlay();
    o.add(1, { ops: [{ op: "write", path: "b.bin", base64: "AAEC" }] });
    const first = o.peek("b.bin");
    if (!first || first === "absent" || typeof first.content === "string") throw new Error("expected bytes");
    first.content[0] = 9;
    expect(o.peek("b.bin")).toEqual({ content: Buffer.from([0, 1, 2]) });
  });

  it("hands out held bytes (Binary) as a copy for each reader", () => {
    const o = new Overlay();
    o.add(1, { ops: [{ op: "folder", path: "q/e", files: [{ name: "a.bin", base64: new Binary(Uint8Array.from([0, 1, 2])) }] }] });
    const first = o.peek("q/e/a.bin");
    if (!first || first === "absent" || typeof first.content === "string") throw new Error("expected bytes");
    expect([...first.content]).toEqual([0, 1, 2]);
    first.content[0] = 9;
    expect(o.peek("q/e/a.bin")).toEqual({ content: Buffer.from([0, 1, 2]) });
  });

  it("lends held bytes without copying them to a reader that only compares them (share)", () => {
    const o = new Overlay();
    const held = new Binary(Uint8Array.from([0, 1, 2]));
    o.add(1, { ops: [{ op: "write", path: "q/e/a.bin", base64: held }] });
    const shared = o.peek("q/e/a.bin", true);
    expect(shared !== "absent" && shared?.content).toBe(held.bytes);
    const copy = o.peek("q/e/a.bin");
    expect(copy !== "absent" && copy?.content).not.toBe(held.bytes);
  });

  it("hands out a json op's value, and its indented text only when asked", () => {
    const o = new Overlay();
    const value = { state: "done" };
    o.add(1, { ops: [{ op: "folder", path: "q/e", files: [{ name: "s.json", json: value }] }] });
    const peeked = o.peek("q/e/s.json");
    expect(peeked !== "absent" && peeked?.json).toBe(value);
    expect(text(peeked)).toBe('{\n  "state": "done"\n}\n');
    o.add(2, { ops: [{ op: "write", path: "q/e/s.json", json: { state: "failed" } }] });
    expect(o.newerContent(1, "q/e/s.json")).toMatchObject({ seq: 2, json: { state: "failed" } });
  });

  it("calls a change superseded by a newer one at its path or a folder above it", () => {
    const o = new Overlay();
    o.add(1, { ops: [{ op: "write", path: "q/e/s.json", text: "1" }] });
    o.add(2, { ops: [{ op: "write", path: "q/e/s.json", text: "2" }] });
    expect(o.superseded(1, "q/e/s.json")).toBe(true);
    expect(o.superseded(2, "q/e/s.json")).toBe(false);
    o.add(3, { ops: [{ op: "remove", path: "q/e" }] });
    expect(o.superseded(2, "q/e/s.json")).toBe(true);
  });

  it("forgets a settled change, but keeps a newer one of the same path", () => {
    const o = new Overlay();
    const first = { ops: [{ op: "write" as const, path: "a", text: "1" }] };
    o.add(1, first);
    o.add(2, { ops: [{ op: "write", path: "a", text: "2" }] });
    o.settle(1, first);
    expect(text(o.peek("a"))).toBe("2");
    o.settle(2, { ops: [{ op: "write", path: "a", text: "2" }] });
    expect(o.size).toBe(0);
  });

  it("hands a folder op the newer content of its file and then skips that file's own write", () => {
    const o = new Overlay();
    o.add(1, { ops: [{ op: "folder", path: "q/e", files: [{ name: "s.json", text: "1" }] }] });
    o.add(5, { ops: [{ op: "write", path: "q/e/s.json", text: "5" }] });
    const newer = o.newerContent(1, "q/e/s.json");
    expect(newer).toMatchObject({ seq: 5, text: "5" });
    expect(o.folded(5, "q/e/s.json")).toBe(false);
    o.fold("q/e/s.json", 5);
    expect(o.folded(5, "q/e/s.json")).toBe(true);
    // A still newer change is a new mark: not folded, so it is written.
    o.add(6, { ops: [{ op: "write", path: "q/e/s.json", text: "6" }] });
    expect(o.folded(6, "q/e/s.json")).toBe(false);
  });
});

describe("orderingKey", () => {
  it("keeps one queue entry's changes together, other files per path, and higher folders as barriers", () => {
    expect(orderingKey({ op: "write", path: "clients/a/queue/0190/status.json" })).toBe("clients/a/queue/0190");
    expect(orderingKey({ op: "remove", path: "clients/a/queue/0190" })).toBe("clients/a/queue/0190");
    expect(orderingKey({ op: "write", path: "clients/a/log/x.json" })).toBe("clients/a/log/x.json");
    expect(orderingKey({ op: "remove", path: "clients/a" })).toBeUndefined();
  });
});
