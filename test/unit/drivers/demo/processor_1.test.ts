import { describe, expect, it } from "bun:test";
import Passenger1 from "../../../../src/drivers/demo/passenger_1";
import Processor1 from "../../../../src/drivers/demo/processor_1";
import { Passenger } from "../../../../src/sdk/index";
import { fakeContext } from "../fake-context";

describe("demo processor_1", () => {
  describe("when given a passenger with an object payload", () => {
    it("adds processed_by and keeps the other fields", () => {
      const p = new Passenger1({ external_id: "x", payload: { text: "hi", number: 1 } });
      const ctx = fakeContext({ driver: "databus/demo/processor_1" });
      new Processor1().process(p, ctx);
      expect(p.payload).toEqual({ text: "hi", number: 1, processed_by: "databus/demo/processor_1" } as never);
      expect(ctx.lines).toHaveLength(1);
    });
  });

  describe("when the payload is not an object", () => {
    it("wraps it as value", () => {
      const p = new Passenger<unknown>({ external_id: "x", payload: 7 });
      new Processor1().process(p, fakeContext({ driver: "p1" }));
      expect(p.payload).toEqual({ value: 7, processed_by: "p1" });
    });
  });
});
