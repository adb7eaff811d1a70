import { describe, expect, it } from "bun:test";
import {
  formatRememberCookie, hashSecret, liveRecords, matches, newToken, parseRememberCookie, type RememberRecord,
} from "../../../../src/web/auth/remember-token";

const NOW = Date.parse("2025-01-15T10:00:00Z");
const record = (secret: string, expires = "2025-02-14T10:00:00.000Z"): RememberRecord => ({
  id: "a".repeat(22), hash: hashSecret(secret), expires_at: expires, created_at: "2025-01-15T10:00:00.000Z",
});

describe("remember-token", () => {
  describe("when a cookie is formatted and parsed back", () => {
    it("round-trips client, user name (even with dots and @), id and secret", () => {
      const { id, secret } = newToken();
      const cookie = { client: "acme", username: "ann.lee@acme", id, secret };
      expect(parseRememberCookie(formatRememberCookie(cookie))).toEqual(cookie);
    });
  });

  describe("when the cookie is not one we could have issued", () => {
    it("is refused before any lookup", () => {
      const { id, secret } = newToken();
      const user = Buffer.from("ann").toString("base64url");
      for (const value of [undefined, "", "a.b.c", `Acme.${user}.${id}.${secret}`, `acme.${user}.short.${secret}`, `acme.${user}.${id}.${secret}x`,
        `acme.${Buffer.from("a b").toString("base64url")}.${id}.${secret}`, `acme.${user}.${id}.${secret}.extra`, "x".repeat(400)])
        expect(parseRememberCookie(value)).toBeUndefined();
    });
  });

  describe("when a secret is checked against a stored record", () => {
    it("matches only the right secret before expiry", () => {
      const { secret } = newToken();
      expect(matches(record(secret), secret, NOW)).toBe(true);
      expect(matches(record(secret), newToken().secret, NOW)).toBe(false);
      expect(matches(record(secret, "2025-01-15T09:59:59.999Z"), secret, NOW)).toBe(false);
    });

    it("stores a SHA-256 hex digest, never the secret", () => {
      const { secret } = newToken();
      expect(hashSecret(secret)).toMatch(/^[0-9a-f]{64}$/);
      expect(hashSecret(secret)).not.toContain(secret);
    });
  });

  describe("when stored state is read", () => {
    it("keeps only well-formed records that have not expired", () => {
      const live = record("s");
      const stored = [live, record("t", "2025-01-01T00:00:00.000Z"), { id: 1 }, null, "x"];
      expect(liveRecords(stored, NOW)).toEqual([live]);
      expect(liveRecords({ not: "a list" }, NOW)).toEqual([]);
    });
  });
});
