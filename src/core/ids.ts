/** Identifiers: UUID v7 (time-ordered) and the id rules shared by every room. Pure. */

/** UUID v7: 48 bits of milliseconds, then random bits, so ids sort by creation time. */
export function uuidv7(nowMs: number, random: Uint8Array = crypto.getRandomValues(new Uint8Array(16))): string {
  const b = random.slice(0, 16);
  let t = nowMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (s: string): boolean => UUID.test(s);

const CLIENT_ID = /^[a-z0-9_-]{1,32}$/;
export const isClientId = (s: string): boolean => CLIENT_ID.test(s);

/** Plugin and driver names: `acme/invoice_puller`; lower-case path segments, no dots or `..`. */
const DRIVER_NAME = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
export const isDriverName = (s: string): boolean => DRIVER_NAME.test(s) && s.length <= 200;
