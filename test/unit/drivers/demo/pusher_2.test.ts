import { describe, expect, it } from "bun:test";
import Pusher2 from "../../../../src/drivers/demo/pusher_2";
import { Passenger } from "../../../../src/sdk/index";
import { fakeContext } from "../fake-context";

describe("demo pusher_2", () => {
  describe("when it delivers a passenger", () => {
    it("logs the delivery with the passenger and its idempotency key", () => {
      const ctx = fakeContext({ idempotencyKey: "id-1:databus/demo/pusher_2" });
      new Pusher2().push(new Passenger({ external_id: "ext-9", attachments: [{ name: "n.txt", content: "abc" }] }), ctx);
      expect(ctx.lines).toHaveLength(1);
      expect(ctx.lines[0]!.message).toContain("ext-9");
      expect(ctx.lines[0]!.message).toContain("id-1:databus/demo/pusher_2");
    });
  });
});
