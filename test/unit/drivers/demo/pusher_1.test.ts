import { describe, expect, it } from "bun:test";
import Pusher1 from "../../../../src/drivers/demo/pusher_1";
import { Passenger } from "../../../../src/sdk/index";
import { fakeContext } from "../fake-context";

describe("demo pusher_1", () => {
  describe("when it delivers a passenger", () => {
    it("logs the delivery with the passenger and its idempotency key", () => {
      const ctx = fakeContext({ idempotencyKey: "id-1:databus/demo/pusher_1" });
      new Pusher1().push(new Passenger({ external_id: "ext-9", attachments: [{ name: "n.txt", content: "abc" }] }), ctx);
      expect(ctx.lines).toHaveLength(1);
      expect(ctx.lines[0]!.message).toContain("ext-9");
      expect(ctx.lines[0]!.message).toContain("id-1:databus/demo/pusher_1");
    });
  });
});
