/**
 * Remember-me tokens, the pure part: the cookie's shape, the stored record, hashing and expiry.
 * The browser holds `<client>.<username, base64url>.<token id>.<secret>`; storage holds only the
 * SHA-256 of the secret, so a copy of the data folder cannot log anyone in.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { isClientId } from "../../core/ids";
import { isUsername } from "../../core/users";
import { isToken } from "./cookies";

export const REMEMBER_COOKIE = "databus_remember";
/** How long "remember me" lasts; each use starts a fresh period with a fresh token. */
export const REMEMBER_DAYS = 30;
export const REMEMBER_MS = REMEMBER_DAYS * 24 * 60 * 60 * 1000;
/** The key-value state driver name Databus keeps console data under (reserved: `databus/`). */
export const CONSOLE_STATE = "databus/console";
export const rememberKey = (username: string): string => `remember:${username}`;

/** What storage keeps per token: never the secret itself. */
export interface RememberRecord {
  id: string;
  /** SHA-256 of the secret, hex. */
  hash: string;
  expires_at: string;
  created_at: string;
}

export interface RememberCookie {
  client: string;
  username: string;
  id: string;
  secret: string;
}

const TOKEN_ID = /^[A-Za-z0-9_-]{22}$/;

export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");

/** A fresh token id (16 random bytes) and secret (32 random bytes), both base64url. */
export function newToken(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): { id: string; secret: string } {
  return { id: Buffer.from(random(16)).toString("base64url"), secret: Buffer.from(random(32)).toString("base64url") };
}

export function formatRememberCookie(c: RememberCookie): string {
  return [c.client, Buffer.from(c.username).toString("base64url"), c.id, c.secret].join(".");
}

/** The cookie's parts, or undefined for anything we could not have issued (checked before any lookup). */
export function parseRememberCookie(value: string | undefined): RememberCookie | undefined {
  if (!value || value.length > 300) return undefined;
  const parts = value.split(".");
  if (parts.length !== 4) return undefined;
  const [client, encoded, id, secret] = parts as [string, string, string, string];
  if (!isClientId(client) || !TOKEN_ID.test(id) || !isToken(secret) || !/^[A-Za-z0-9_-]{1,100}$/.test(encoded)) return undefined;
  const username = Buffer.from(encoded, "base64url").toString("utf8");
  if (!isUsername(username)) return undefined;
  return { client, username, id, secret };
}

/** True when the secret hashes to the record's hash (constant-time) and the record has not expired. */
export function matches(record: RememberRecord, secret: string, nowMs: number): boolean {
  if (Date.parse(record.expires_at) <= nowMs) return false;
  const a = Buffer.from(record.hash, "hex");
  const b = Buffer.from(hashSecret(secret), "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The stored list as it is, minus anything malformed or expired (stored state is not trusted blindly). */
export function liveRecords(stored: unknown, nowMs: number): RememberRecord[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(
    (r): r is RememberRecord =>
      typeof r === "object" && r !== null &&
      typeof r.id === "string" && typeof r.hash === "string" &&
      typeof r.expires_at === "string" && typeof r.created_at === "string" &&
      Date.parse(r.expires_at) > nowMs,
  );
}
