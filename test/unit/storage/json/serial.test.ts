import { describe, expect, it } from "bun:test";
import { Serial } from "../../../../src/storage/json/serial";

describe("json serial", () => {
  describe("when two writes share a key", () => {
    it("runs them one after the other, even when the first fails", async () => {
      const serial = new Serial();
      const order: string[] = [];
      const first = serial.run("k", async () => {
        await Bun.sleep(5);
        order.push("first");
        throw new Error("boom");
      });
      const second = serial.run("k", async () => {
        order.push("second");
        return 2;
      });
      await expect(first).rejects.toThrow("boom");
      expect(await second).toBe(2);
      expect(order).toEqual(["first", "second"]);
      await serial.idle();
    });
  });
});
