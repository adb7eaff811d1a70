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

  describe("when one write takes several keys", () => {
    it("waits for every write in line on any of them, and goes before later ones", async () => {
      const serial = new Serial();
      const order: string[] = [];
      const slow = (name: string, ms: number) => async () => {
        await Bun.sleep(ms);
        order.push(name);
      };
      const a = serial.run("a", slow("a", 15));
      const b = serial.run("b", slow("b", 5));
      const both = serial.runAll(["a", "b"], slow("both", 0));
      const laterB = serial.run("b", slow("later b", 0));
      const other = serial.run("c", slow("c", 0));
      await Promise.all([a, b, both, laterB, other]);
      expect(order).toEqual(["c", "b", "a", "both", "later b"]);
      await serial.idle();
    });
  });
});
