import { describe, expect, it } from "bun:test";
import { attachmentsByExtension, excelAttachments, extensionOf, fileAttachments, safeAttachmentName } from "../../../../src/drivers/mail/attachments";

const files = [
  { name: "_body.txt", content: "t" },
  { name: "_body.html", content: "h" },
  { name: "Report.XLSX", content: "x" },
  { name: "data", content: "d", media_type: "application/vnd.ms-excel" },
  { name: "order.xml", content: "o" },
];

describe("mail attachments", () => {
  it("separates the mail's files from its body parts", () => {
    expect(fileAttachments(files).map((a) => a.name)).toEqual(["Report.XLSX", "data", "order.xml"]);
  });

  it("finds files by extension, ignoring case and a leading dot, never the body parts", () => {
    expect(attachmentsByExtension(files, [".xlsx", "XML", "txt"]).map((a) => a.name)).toEqual(["Report.XLSX", "order.xml"]);
    expect(extensionOf(".hidden")).toBe("");
  });

  it("recognises Excel by extension or by media type", () => {
    expect(excelAttachments(files).map((a) => a.name)).toEqual(["Report.XLSX", "data"]);
  });

  describe("safeAttachmentName", () => {
    it("drops folders and control characters, falls back for empty names, and numbers repeats", () => {
      const taken = new Set(["_body.txt"]);
      expect(safeAttachmentName("..\\..\\win.ini", "f", taken)).toBe("win.ini");
      expect(safeAttachmentName("a\u0000b\u001f.pdf", "f", taken)).toBe("ab.pdf");
      expect(safeAttachmentName("..", "fallback.bin", taken)).toBe("fallback.bin");
      expect(safeAttachmentName("_body.txt", "f", taken)).toBe("_body (2).txt");
      expect(safeAttachmentName("ab.pdf", "f", taken)).toBe("ab (2).pdf");
    });

    it("shortens names over 200 characters and keeps the extension", () => {
      const name = safeAttachmentName(`${"n".repeat(300)}.xlsx`, "f", new Set());
      expect(name.length).toBe(200);
      expect(name.endsWith(".xlsx")).toBe(true);
    });
  });
});
