/** Attachment-name rules (names become file names), media-type guesses and byte sizes. */
import { describe, expect, it } from "bun:test";
import { attachmentNameProblem, byteLength, guessMediaType, sameContent } from "../../../src/core/passenger";

describe("attachmentNameProblem", () => {
  describe("when the name is safe as a file name", () => {
    it.each(["invoice.pdf", "a b.txt", "ünïcode.csv", "..hidden", "x".repeat(200)])("accepts %p", (n) =>
      expect(attachmentNameProblem(n)).toBeNull(),
    );
  });

  describe("when the name could escape its folder or is not a name", () => {
    it.each([[""], [42], [undefined], ["a/b"], ["a\\b"], ["."], [".."], ["a\u0000b"], ["line\nbreak"], ["x".repeat(201)]])(
      "rejects %p with a reason",
      (n) => {
        const problem = attachmentNameProblem(n);
        expect(typeof problem).toBe("string");
        expect(problem!.length).toBeGreaterThan(0);
      },
    );

    it("quotes the name it rejects", () => {
      expect(attachmentNameProblem("../etc/passwd")).toContain('"../etc/passwd"');
    });
  });
});

describe("guessMediaType", () => {
  describe("when the extension is known", () => {
    it.each([
      ["a.PDF", "application/pdf"],
      ["data.json", "application/json"],
      ["sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
      ["x.tar.zip", "application/zip"],
    ])("maps %p to %p", (name, type) => expect(guessMediaType(name, new Uint8Array())).toBe(type));
  });

  describe("when it is not", () => {
    it("falls back on the kind of content", () => {
      expect(guessMediaType("notes", "hello")).toBe("text/plain");
      expect(guessMediaType("blob.bin", new Uint8Array([1]))).toBe("application/octet-stream");
    });
  });
});

describe("byteLength", () => {
  describe("when given text", () => {
    it("counts UTF-8 bytes, not characters", () => {
      expect(byteLength("abc")).toBe(3);
      expect(byteLength("é€")).toBe(5);
    });
  });

  describe("when given bytes", () => {
    it("counts them", () => expect(byteLength(new Uint8Array(7))).toBe(7));
  });
});

describe("sameContent", () => {
  it("compares text with text and bytes with bytes, views included, never text with bytes", () => {
    const bytes = new Uint8Array([0, 1, 2, 3]);
    expect(sameContent("abc", "abc")).toBe(true);
    expect(sameContent("abc", "abd")).toBe(false);
    expect(sameContent(bytes, new Uint8Array([0, 1, 2, 3]))).toBe(true);
    expect(sameContent(bytes, new Uint8Array([0, 1, 2, 4]))).toBe(false);
    expect(sameContent(bytes.subarray(1), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(sameContent(bytes, bytes.subarray(0, 3))).toBe(false);
    expect(sameContent("abc", new TextEncoder().encode("abc"))).toBe(false);
  });
});
