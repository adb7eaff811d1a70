/** Identifiers: UUID v7 (time-ordered) and the id rules shared by every room. Pure. */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Random bytes drawn 4 KB at a time: one getRandomValues per id was a visible share of a large seat. */
const pool = new Uint8Array(4096);
let poolAt = pool.length;

function randomBytes(): Uint8Array {
  if (poolAt + 16 > pool.length) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  const b = pool.slice(poolAt, poolAt + 16);
  poolAt += 16;
  return b;
}

/** The last millisecond an id was made for, and the counter of ids made in it (see uuidv7). */
let lastMs = Number.NaN;
let counter = 0;
const COUNTER_MAX = 2 ** 30 - 1;

/**
 * UUID v7: 48 bits of milliseconds, then random bits, so ids sort by creation time. Ids made in the
 * same millisecond (a seat makes thousands with one clock reading) also sort in the order they were
 * made: 30 bits after the version count up from a random start below 2^29 (RFC 9562 §6.2, method 1,
 * a fixed-length dedicated counter), which also keeps the queue index appending instead of inserting.
 * Given `random` (tests), the id is made from those bytes alone.
 */
export function uuidv7(nowMs: number, random?: Uint8Array): string {
  const b = random ? random.slice(0, 16) : randomBytes();
  if (!random) {
    if (nowMs === lastMs && counter < COUNTER_MAX) counter++;
    else {
      lastMs = nowMs;
      counter = ((b[6]! << 21) | (b[7]! << 13) | (b[8]! << 5) | (b[9]! >> 3)) & (2 ** 29 - 1);
    }
    b[6] = counter >>> 26;
    b[7] = (counter >>> 18) & 0xff;
    b[8] = (counter >>> 12) & 0x3f;
    b[9] = (counter >>> 4) & 0xff;
    b[10] = ((counter & 0x0f) << 4) | (b[10]! & 0x0f);
  }
  let t = nowMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = (i: number) => HEX[b[i]!]!;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (s: string): boolean => UUID.test(s);

const CLIENT_ID = /^[a-z0-9_-]{1,32}$/;
export const isClientId = (s: string): boolean => CLIENT_ID.test(s);

/** Plugin and driver names: `acme/invoice_puller`; lower-case path segments, no dots or `..`. */
const DRIVER_NAME = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
export const isDriverName = (s: string): boolean => DRIVER_NAME.test(s) && s.length <= 200;
