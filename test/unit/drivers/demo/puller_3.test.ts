import { describe, expect, it } from "bun:test";
import Puller3 from "../../../../src/drivers/demo/puller_3";
import { fakeContext } from "../fake-context";

describe("demo puller_3", () => {
  describe("when pulled on consecutive runs", () => {
    it("makes a new passenger each run, numbered from its saved counter", async () => {
      const ctx = fakeContext();
      const puller = new Puller3();
      const ids = [...(await puller.pull(ctx)), ...(await puller.pull(ctx))].map((p) => p.external_id);
      expect(ids).toEqual(["demo-3-1", "demo-3-2"]);
    });
  });

  describe("when peeked", () => {
    it("shows the next passenger without advancing the counter", async () => {
      const ctx = fakeContext();
      const puller = new Puller3();
      expect((await puller.peek(ctx)).map((p) => p.external_id)).toEqual(["demo-3-1"]);
      expect((await puller.pull(ctx)).map((p) => p.external_id)).toEqual(["demo-3-1"]);
    });
  });
});
