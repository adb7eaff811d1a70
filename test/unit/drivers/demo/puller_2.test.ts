import { describe, expect, it } from "bun:test";
import Puller2 from "../../../../src/drivers/demo/puller_2";
import { fakeContext } from "../fake-context";

describe("demo puller_2", () => {
  describe("when pulled", () => {
    it("returns three passengers, each with a text attachment", () => {
      const passengers = new Puller2().pull(fakeContext());
      expect(passengers).toHaveLength(3);
      for (const p of passengers) {
        expect(p.attachments).toHaveLength(1);
        expect(p.attachmentText("note.txt")).toContain(p.external_id);
      }
    });
  });
});
