/** Ids: UUID v7 format and time order, and the client-id and driver-name rules. */
import { describe, expect, it } from "bun:test";
import { isClientId, isDriverName, isUuid, uuidv7 } from "../../../src/core/ids";

const T = Date.UTC(2030, 0, 1);

describe("uuidv7", () => {
  describe("when formatting", () => {
    it("is a lower-case UUID with version 7 and the RFC 9562 variant", () => {
      const id = uuidv7(T);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isUuid(id)).toBe(true);
    });

    it("puts the milliseconds in the first 48 bits", () => {
      const id = uuidv7(T, new Uint8Array(16));
      expect(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(T);
      expect(id).toBe(`${T.toString(16).padStart(12, "0").replace(/^(.{8})(.{4})$/, "$1-$2")}-7000-8000-000000000000`);
    });

    it("keeps version and variant even when the random bytes are all ones", () => {
      const id = uuidv7(T, new Uint8Array(16).fill(0xff));
      expect(id.slice(14, 15)).toBe("7");
      expect(id.slice(19, 20)).toBe("b");
    });

    it("does not change the random bytes it is given", () => {
      const r = new Uint8Array(16).fill(0xff);
      uuidv7(T, r);
      expect([...r].every((b) => b === 0xff)).toBe(true);
    });
  });

  describe("when ordering", () => {
    it("sorts later ids after earlier ones as plain strings, whatever the random part", () => {
      const ids = [0, 1, 2, 1000, 60_000, 86_400_000].map((d, i) => uuidv7(T + d, new Uint8Array(16).fill(255 - i * 40)));
      expect([...ids].sort()).toEqual(ids);
    });

    it("differs between two ids of the same millisecond", () => {
      expect(uuidv7(T)).not.toBe(uuidv7(T));
    });

    it("sorts ids of the same millisecond in the order they were made, and after them those of the next one", () => {
      const same = Array.from({ length: 5000 }, () => uuidv7(T + 5));
      const next = [uuidv7(T + 6), uuidv7(T + 6)];
      const all = [...same, ...next];
      expect([...all].sort()).toEqual(all);
      expect(new Set(all).size).toBe(all.length);
      for (const id of all) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("starts the count of a new millisecond at a random point, so ids stay hard to guess", () => {
      const firsts = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((d) => uuidv7(T + 100 + d).slice(14, 23)));
      expect(firsts.size).toBe(8);
    });

    it("still makes an id when the clock goes back, with that earlier time in it", () => {
      uuidv7(T + 10_000);
      const earlier = uuidv7(T + 1);
      expect(Number.parseInt(earlier.replace(/-/g, "").slice(0, 12), 16)).toBe(T + 1);
    });
  });
});

describe("id rules", () => {
  describe("when checking a client id", () => {
    it.each(["acme", "root", "a", "a_b-9", "x".repeat(32)])("accepts %p", (id) => expect(isClientId(id)).toBe(true));
    it.each(["", "Acme", "a b", "a/b", "..", "x".repeat(33), "é"])("rejects %p", (id) => expect(isClientId(id)).toBe(false));
  });

  describe("when checking a driver name", () => {
    it.each(["acme/invoice_puller", "databus/demo/puller_1", "x", "A-b/c_D"])("accepts %p", (n) => expect(isDriverName(n)).toBe(true));
    it.each(["", "/x", "x/", "a//b", "../x", "a/./b", "a.ts", "a b", "a\\b", "x".repeat(201)])("rejects %p", (n) =>
      expect(isDriverName(n)).toBe(false),
    );
  });

  describe("when checking a uuid", () => {
    it("rejects upper case and wrong lengths", () => {
      expect(isUuid(uuidv7(T).toUpperCase())).toBe(false);
      expect(isUuid(uuidv7(T).slice(1))).toBe(false);
    });
  });
});
