import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BinaryPusher from "../../../../src/drivers/demo/binary_pusher";
import { Passenger } from "../../../../src/sdk/index";
import { fakeContext } from "../fake-context";

const ID = "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee";

function passenger(name: string, content: string | Uint8Array): Passenger {
  const p = new Passenger({ external_id: "e", attachments: [{ name, content }] });
  p.id = ID;
  return p;
}

describe("demo binary_pusher", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "databus-binpush-"));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  describe("when it delivers attachments", () => {
    it("writes them under <home>/data/output/<client>/<passenger id>/ and leaves no temp files", async () => {
      const bytes = new Uint8Array([137, 80, 78, 71]);
      await new BinaryPusher().push(passenger("img.png", bytes), fakeContext({ home }));
      const dir = join(home, "data/output/acme", ID);
      expect(await readdir(dir)).toEqual(["img.png"]);
      expect(new Uint8Array(await readFile(join(dir, "img.png")))).toEqual(bytes);
    });

    it("overwrites the same file on a repeated delivery", async () => {
      const pusher = new BinaryPusher();
      await pusher.push(passenger("a.txt", "one"), fakeContext({ home }));
      await pusher.push(passenger("a.txt", "two"), fakeContext({ home }));
      expect(await readFile(join(home, "data/output/acme", ID, "a.txt"), "utf8")).toBe("two");
    });
  });

  describe("when an attachment name would leave its folder", () => {
    it("refuses and writes nothing outside", async () => {
      await expect(new BinaryPusher().push(passenger("../escape.txt", "x"), fakeContext({ home }))).rejects.toThrow("cannot be used as a file name");
      expect(await readdir(join(home, "data/output/acme"))).toEqual([ID]);
      expect(await readdir(join(home, "data/output/acme", ID))).toEqual([]);
    });
  });
});
