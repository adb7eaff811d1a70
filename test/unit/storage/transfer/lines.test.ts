/** readLines / LineWriter: gzip JSON lines as streams, and what they say about broken input. */
import { describe, expect, it } from "bun:test";
import { INVALID_JSON, INVALID_UTF8, LineWriter, readLines } from "../../../../src/storage/transfer/lines";

const stream = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
const gz = (text: string | Uint8Array) => Bun.gzipSync((typeof text === "string" ? new TextEncoder().encode(text) : text) as Uint8Array<ArrayBuffer>);

async function collect(bytes: Uint8Array, max?: number) {
  const out: unknown[] = [];
  for await (const line of readLines(stream(bytes), max)) out.push([line.number, line.value]);
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe("lines", () => {
  describe("when values are written and read back", () => {
    it("yields each value with its line number, across gzip chunks", async () => {
      const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
      const bytes = new Response(readable).arrayBuffer();
      const w = new LineWriter(writable);
      for (let i = 0; i < 3000; i++) await w.write({ i, pad: "x".repeat(100) });
      await w.close();
      const read = await collect(new Uint8Array(await bytes));
      expect(read).toHaveLength(3000);
      expect(read[2999]).toEqual([3000, { i: 2999, pad: "x".repeat(100) }]);
    });
  });

  describe("when a line is broken", () => {
    it("marks invalid JSON and invalid UTF-8, and reads a last line without a newline", async () => {
      const bad = new Uint8Array([0x7b, 0xff, 0x7d, 0x0a]);
      expect(await collect(gz("{oops\n"))).toEqual([[1, INVALID_JSON]]);
      expect(await collect(gz(bad))).toEqual([[1, INVALID_UTF8]]);
      expect(await collect(gz('{"a":1}\n{"b":2}'))).toEqual([[1, { a: 1 }], [2, { b: 2 }]]);
    });

    it("refuses a line longer than the limit with DBUS_EXP_BAD_RECORD", async () => {
      expect(await codeOf(collect(gz(`{"a":1}\n"${"x".repeat(5000)}"\n`), 1000))).toBe("DBUS_EXP_BAD_RECORD");
    });
  });

  describe("when the stream itself is broken", () => {
    it("says DBUS_EXP_NOT_ARCHIVE for bytes that are not gzip and DBUS_EXP_TRUNCATED for a cut-off stream", async () => {
      expect(await codeOf(collect(new TextEncoder().encode("plain text")))).toBe("DBUS_EXP_NOT_ARCHIVE");
      const whole = gz(Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, r: Math.random() })).join("\n"));
      expect(await codeOf(collect(whole.slice(0, Math.floor(whole.length / 2))))).toBe("DBUS_EXP_TRUNCATED");
    });
  });
});
