/**
 * Demo binary puller: three binary_passenger items, each carrying a small PNG drawn in code
 * (a 4×4 square in one colour per passenger), to show binary attachments end to end.
 */
import { deflateSync } from "node:zlib";
import { Puller, type PullContext } from "../../sdk/index";
import BinaryPassenger from "./binary_passenger";

const SQUARES: { id: string; rgb: [number, number, number] }[] = [
  { id: "demo-bin-red", rgb: [220, 40, 40] },
  { id: "demo-bin-green", rgb: [40, 180, 60] },
  { id: "demo-bin-blue", rgb: [40, 80, 220] },
];
const SIZE = 4;

/** `databus/demo/binary_puller` */
export default class BinaryPuller extends Puller<BinaryPassenger> {
  pull(ctx: PullContext): BinaryPassenger[] {
    ctx.log.info(`Demo binary puller found ${SQUARES.length} images.`);
    return SQUARES.map(
      ({ id, rgb }) =>
        new BinaryPassenger({
          external_id: id,
          payload: { title: id, width: SIZE, height: SIZE },
          attachments: [{ name: `${id}.png`, content: solidPng(SIZE, SIZE, rgb), media_type: "image/png" }],
        }),
    );
  }
}

/** A valid PNG (RGB, 8 bits) filled with one colour. */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Uint8Array {
  const row = new Uint8Array(1 + width * 3); // filter byte 0 (none), then RGB triples
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = new Uint8Array(row.length * height);
  for (let y = 0; y < height; y++) raw.set(row, y * row.length);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, no filter, no interlace
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  return concat([Uint8Array.from(signature), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", new Uint8Array(0))]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** CRC-32 as PNG chunks need it (ISO 3309, polynomial 0xEDB88320). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
