import { describe, expect, it } from "bun:test";
import { checkSize, contentProblem, passengerProblem, PASSENGER_LIMIT_BYTES } from "../../../src/dispatcher/passenger-check";
import { Passenger } from "../../../src/sdk/index";

class Order extends Passenger {}
/** The dispatcher gets passenger classes from the registry, typed as the base class. */
const OrderType = Order as unknown as typeof Passenger;
const MB = 1024 * 1024;

describe("passenger-check", () => {
  describe("when a passenger is well formed", () => {
    it("has no problem and a size close to its JSON length", () => {
      const p = new Order({ external_id: "o-1", payload: { total: 12.5, lines: ["a", "b"] }, attachments: [{ name: "a.txt", content: "hello" }] });
      expect(passengerProblem(p, OrderType)).toBeNull();
      const size = checkSize(p, PASSENGER_LIMIT_BYTES);
      expect(size.ok).toBe(true);
      expect((size as { bytes: number }).bytes).toBeGreaterThanOrEqual(JSON.stringify(p.payload).length);
    });
  });

  describe("when the payload is 2 GB as JSON but shares one string", () => {
    it("is too large, found without serialising it", () => {
      const payload = { chunks: new Array<string>(2048).fill("x".repeat(MB)) };
      expect(checkSize({ payload, attachments: [] }, 64 * MB)).toEqual({ ok: false, tooLarge: true });
    });
  });

  describe("when attachments alone pass the limit", () => {
    it("is too large", () => {
      expect(checkSize({ payload: null, attachments: [{ name: "big.bin", content: new Uint8Array(2 * MB) }] }, MB)).toEqual({ ok: false, tooLarge: true });
    });
  });

  describe("when the payload cannot be JSON", () => {
    it("names a cycle and a BigInt", () => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect(checkSize({ payload: cyclic, attachments: [] }, MB)).toMatchObject({ ok: false, tooLarge: false, problem: "its payload cannot be stored as JSON (it refers to itself)" });
      expect(checkSize({ payload: { n: 1n }, attachments: [] }, MB)).toMatchObject({ problem: "its payload cannot be stored as JSON (it holds a BigInt, which JSON cannot represent)" });
    });

    it("accepts the same object twice when it is not a cycle", () => {
      const shared = { a: 1 };
      expect(checkSize({ payload: [shared, shared], attachments: [] }, MB).ok).toBe(true);
    });
  });

  describe("when a puller returns the wrong things", () => {
    it("says what is wrong in the plugin author's words", () => {
      expect(passengerProblem({ external_id: "x" }, OrderType)).toStartWith("it is an object (Object), not a Passenger");
      expect(passengerProblem(new Passenger({ external_id: "x" }), OrderType)).toBe("it is a Passenger, but this definition carries Order passengers");
      expect(passengerProblem(new Order({ external_id: "" }), OrderType)).toBe("it has no external_id");
      expect(contentProblem({ attachments: [{ name: "", content: "x" }] })).toBe("an attachment has no name");
      expect(contentProblem({ attachments: [{ name: "a", content: 5 }] })).toBe("the attachment a has content that is neither text nor bytes");
    });
  });
});
