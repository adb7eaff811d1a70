import { describe, expect, it } from "bun:test";
import { inflateSync } from "node:zlib";
import BinaryPuller, { solidPng } from "../../../../src/drivers/demo/binary_puller";
import { fakeContext } from "../fake-context";

/** Splits a PNG into chunks, checking each chunk's CRC with Bun's own CRC-32. */
function chunksOf(png: Uint8Array): { type: string; data: Uint8Array }[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: { type: string; data: Uint8Array }[] = [];
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    expect(view.getUint32(at + 8 + length)).toBe(Bun.hash.crc32(png.subarray(at + 4, at + 8 + length)));
    out.push({ type, data });
    at += 12 + length;
  }
  return out;
}

describe("demo binary_puller", () => {
  describe("when pulled", () => {
    it("returns passengers with one PNG attachment each", () => {
      const passengers = new BinaryPuller().pull(fakeContext());
      expect(passengers).toHaveLength(3);
      for (const p of passengers) {
        const [a] = p.attachments;
        expect(a?.media_type).toBe("image/png");
        expect(a?.content).toBeInstanceOf(Uint8Array);
      }
    });
  });

  describe("when a PNG is drawn", () => {
    it("is a valid PNG: signature, IHDR with the size, pixel data that inflates to every row", () => {
      const png = solidPng(4, 3, [1, 2, 3]);
      expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
      const chunks = chunksOf(png);
      expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
      const ihdr = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset);
      expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([4, 3]);
      const raw = inflateSync(chunks[1]!.data);
      expect(raw.length).toBe(3 * (1 + 4 * 3));
      expect([...raw.subarray(0, 4)]).toEqual([0, 1, 2, 3]);
    });
  });
});
