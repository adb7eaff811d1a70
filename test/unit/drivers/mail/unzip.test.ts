import { describe, expect, it } from "bun:test";
import { zipSync } from "fflate";
import { unzipAttachments } from "../../../../src/drivers/mail/unzip";
import { isUnrecoverable, type Attachment } from "../../../../src/sdk/index";

const text = (s: string) => new TextEncoder().encode(s);
const zip = (name: string, files: Record<string, Uint8Array>): Attachment => ({ name, content: zipSync(files), media_type: "application/zip" });
const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(isUnrecoverable(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error("expected a refusal");
};

describe("unzipAttachments", () => {
  describe("when a zip holds files in folders, with hostile names", () => {
    it("returns each file under a safe, unique name and keeps the zip itself out of the result", () => {
      const a = zip("orders.zip", { "2026/orders.xml": text("<o/>"), "../../etc/passwd": text("x"), "notes/readme.txt": text("hi"), "other/orders.xml": text("<p/>") });
      const out = unzipAttachments([{ name: "_body.txt", content: "" }, a]);
      expect(out.map((f) => f.name).sort()).toEqual(["orders (2).xml", "orders.xml", "passwd", "readme.txt"]);
      expect(new TextDecoder().decode(out.find((f) => f.name === "orders.xml")!.content as Uint8Array)).toBe("<o/>");
    });

    it("keeps only the wanted extensions, and never reuses a name the passenger already has", () => {
      const a = zip("orders.zip", { "orders.xml": text("<o/>"), "readme.txt": text("hi") });
      const out = unzipAttachments([a, { name: "orders.xml", content: "existing" }], { extensions: [".XML"] });
      expect(out.map((f) => f.name)).toEqual(["orders (2).xml"]);
    });
  });

  describe("when a zip is a bomb", () => {
    it("refuses an entry compressed beyond maxRatio", () => {
      const bomb = zip("bomb.zip", { "zeros.bin": new Uint8Array(20 * 1024 * 1024) });
      expect(refusal(() => unzipAttachments([bomb]))).toBe(
        'The zip attachment bomb.zip was not unpacked: "zeros.bin" is compressed more than 200 times, which only zip bombs are (limit maxRatio).',
      );
    });

    it("refuses more than maxTotalBytes in all", () => {
      const big = zip("big.zip", { "a.txt": text("a".repeat(600)), "b.txt": text("b".repeat(600)) });
      expect(refusal(() => unzipAttachments([big], { maxTotalBytes: 1000, maxRatio: 1000 }))).toContain("would unpack to more than 1000 bytes (limit maxTotalBytes)");
    });

    it("refuses more than maxEntries entries", () => {
      const many: Record<string, Uint8Array> = {};
      for (let i = 0; i < 11; i++) many[`f${i}.txt`] = text(String(i));
      expect(refusal(() => unzipAttachments([zip("many.zip", many)], { maxEntries: 10 }))).toContain("holds more than 10 entries (limit maxEntries)");
    });

    it("never inflates beyond the size an entry declares, even when the header lies", () => {
      const a = zip("liar.zip", { "a.txt": text("A".repeat(5000)) });
      const bytes = a.content as Uint8Array;
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      for (let i = bytes.length - 22; i >= 0; i--)
        if (view.getUint32(i, true) === 0x02014b50) {
          view.setUint32(i + 24, 10, true); // central directory: uncompressed size = 10
          break;
        }
      const [file] = unzipAttachments([a], { maxRatio: 1000 });
      expect((file!.content as Uint8Array).length).toBe(10);
    });
  });

  describe("when an attachment called .zip is not a zip", () => {
    it("refuses it as unreadable", () => {
      expect(refusal(() => unzipAttachments([{ name: "fake.zip", content: "plain text" }]))).toStartWith("The zip attachment fake.zip was not unpacked: it is not a readable zip file");
    });
  });
});
