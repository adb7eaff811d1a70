import { describe, expect, it } from "bun:test";
import { slots } from "../../../src/core/slots";

describe("slots", () => {
  it("runs at most `width` tasks at once and every task in the end", async () => {
    const gate = slots(3);
    let running = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        gate(async () => {
          most = Math.max(most, ++running);
          await Bun.sleep(1);
          running--;
          return n;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it("frees the slot of a task that throws", async () => {
    const gate = slots(1);
    await expect(gate(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate(async () => "next")).toBe("next");
  });
});
