import { describe, expect, it } from "bun:test";
import Passenger1 from "../../../../src/drivers/demo/passenger_1";
import Puller1 from "../../../../src/drivers/demo/puller_1";
import { fakeContext } from "../fake-context";

describe("demo puller_1", () => {
  describe("when pulled twice", () => {
    it("returns the same three passenger_1 items each time, so the queue dedupes the second run", () => {
      const ctx = fakeContext();
      const first = new Puller1().pull(ctx);
      const second = new Puller1().pull(ctx);
      expect(first.map((p) => p.external_id)).toEqual(["demo-1-a", "demo-1-b", "demo-1-c"]);
      expect(second.map((p) => p.external_id)).toEqual(first.map((p) => p.external_id));
      expect(first.every((p) => p instanceof Passenger1 && typeof p.payload.text === "string")).toBe(true);
    });
  });

  describe("when told its passengers are seated", () => {
    it("logs each one", () => {
      const ctx = fakeContext();
      const puller = new Puller1();
      puller.notifySeated(puller.pull(ctx), ctx);
      expect(ctx.lines.filter((l) => l.message.includes("is seated"))).toHaveLength(3);
    });
  });
});
