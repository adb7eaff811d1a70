import { describe, expect, it } from "bun:test";
import { noticeIfSlow } from "../../../src/cli/slow-notice";

describe("noticeIfSlow", () => {
  it("says nothing when the work ends in time", async () => {
    const said: string[] = [];
    expect(await noticeIfSlow(Promise.resolve(7), 50, () => said.push("slow"))).toBe(7);
    await Bun.sleep(80);
    expect(said).toEqual([]);
  });

  it("says it once when the work takes longer, and still returns its result", async () => {
    const said: string[] = [];
    const result = await noticeIfSlow(Bun.sleep(120).then(() => "done"), 20, () => said.push("slow"));
    expect(result).toBe("done");
    expect(said).toEqual(["slow"]);
  });

  it("passes a failure through and says nothing after it", async () => {
    const said: string[] = [];
    await expect(noticeIfSlow(Promise.reject(new Error("disk full")), 50, () => said.push("slow"))).rejects.toThrow("disk full");
    await Bun.sleep(80);
    expect(said).toEqual([]);
  });
});
