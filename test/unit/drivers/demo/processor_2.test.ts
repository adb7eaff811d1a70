import { describe, expect, it } from "bun:test";
import Processor2 from "../../../../src/drivers/demo/processor_2";
import { Passenger } from "../../../../src/sdk/index";
import { fakeContext } from "../fake-context";

describe("demo processor_2", () => {
  describe("when given text in the payload and attachments", () => {
    it("upper-cases the text and text attachments, leaving bytes alone", () => {
      const bytes = new Uint8Array([97, 98]);
      const p = new Passenger({
        external_id: "x",
        payload: { text: "hello", number: 2 },
        attachments: [{ name: "a.txt", content: "note" }, { name: "b.bin", content: bytes }],
      });
      new Processor2().process(p, fakeContext());
      expect(p.payload).toEqual({ text: "HELLO", number: 2 });
      expect(p.attachmentText("a.txt")).toBe("NOTE");
      expect(p.attachment("b.bin")?.content).toBe(bytes);
    });
  });
});
