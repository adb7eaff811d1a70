import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { chmod, mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import FolderPusher, { fileSafe } from "../../../../src/drivers/files/pusher-folder";
import { Passenger } from "../../../../src/sdk/index";
import { runAsNobody } from "../../../support/as-nobody";
import { createTempHome, type TempHome } from "../../../support/temp-home";
import { fakeContext } from "../fake-context";

const DRIVER = "databus/files/folder_pusher";
const ID = "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee";
const KEY = `${ID}:${DRIVER}`;

function passenger(): Passenger {
  const p = new Passenger({ external_id: "inv/7", source_system: "erp", payload: { total: 7 }, attachments: [{ name: "inv 7.pdf", content: new Uint8Array([37, 80, 68, 70]) }] });
  p.id = ID;
  p.type = "databus/files/document";
  return p;
}

describe("databus/files/folder_pusher", () => {
  let t: TempHome;
  let outbox: string;
  beforeEach(async () => {
    t = await createTempHome("databus-folder-pusher-");
    outbox = join(t.home, "outbox");
    await mkdir(outbox);
  });
  afterEach(() => t.cleanup());

  const ctx = (options: Record<string, unknown>) => fakeContext({ home: t.home, driver: DRIVER, idempotencyKey: KEY, options: { folder: "outbox", ...options } });

  describe("when it writes JSON", () => {
    it("names the file by the idempotency key and leaves no temp file", async () => {
      await new FolderPusher().push(passenger(), ctx({}));
      const name = `${ID}_databus_files_folder_pusher.json`;
      expect(await readdir(outbox)).toEqual([name]);
      expect(JSON.parse(await readFile(join(outbox, name), "utf8"))).toEqual({
        id: ID, type: "databus/files/document", external_id: "inv/7", source_system: "erp", pulled_at: "",
        idempotency_key: KEY, payload: { total: 7 }, attachments: ["inv 7.pdf"],
      });
    });

    it("rewrites the same file on a repeated delivery", async () => {
      const pusher = new FolderPusher();
      await pusher.push(passenger(), ctx({}));
      await pusher.push(passenger(), ctx({}));
      expect(await readdir(outbox)).toHaveLength(1);
    });

    it("names it by external id when asked", async () => {
      await new FolderPusher().push(passenger(), ctx({ naming: "external_id" }));
      expect(await readdir(outbox)).toEqual(["inv_7.json"]);
    });
  });

  describe("when it writes attachments", () => {
    it("writes each attachment prefixed with the key, or under its own name with naming original", async () => {
      await new FolderPusher().push(passenger(), ctx({ write: "attachments" }));
      await new FolderPusher().push(passenger(), ctx({ write: "attachments", naming: "original" }));
      expect((await readdir(outbox)).sort()).toEqual([`${ID}_databus_files_folder_pusher_inv_7.pdf`, "inv_7.pdf"]);
      expect(new Uint8Array(await readFile(join(outbox, "inv_7.pdf")))).toEqual(new Uint8Array([37, 80, 68, 70]));
    });
  });

  describe("when the folder is missing or the options are wrong", () => {
    it("refuses a missing folder with a clear message, and creates it with create_folder", async () => {
      await expect(new FolderPusher().push(passenger(), ctx({ folder: "gone" }))).rejects.toThrow(
        `${DRIVER}: the folder ${join(t.home, "gone")} does not exist. Create it, or fix the option \`folder\``,
      );
      await new FolderPusher().push(passenger(), ctx({ folder: "made/here", create_folder: true }));
      expect(await readdir(join(t.home, "made/here"))).toHaveLength(1);
    });

    it("rejects naming original for JSON as unrecoverable", async () => {
      const error = await new FolderPusher().push(passenger(), ctx({ naming: "original" })).catch((e) => e);
      expect(error.code).toBe("DBUS_RUN_UNRECOVERABLE");
      expect(error.message).toContain('the option `naming` can be "original" only with "write": "attachments"');
    });

    it("says permission is denied when the folder may not be written", async () => {
      await chmod(outbox, 0o555);
      const driver = join(import.meta.dir, "../../../../src/drivers/files/pusher-folder.ts");
      const probe = await runAsNobody(
        t.home,
        `import P from ${JSON.stringify(driver)};
         const ctx = { driver: "${DRIVER}", home: ${JSON.stringify(t.home)}, options: { folder: "outbox" }, idempotencyKey: "k", log: console };
         await new P().push({ external_id: "e", attachments: [] }, ctx).then(() => console.log("pushed"), (e) => console.log(e.message));`,
      );
      await chmod(outbox, 0o755);
      expect(probe.stdout).toContain(`${DRIVER}: Databus may not write to the folder ${outbox} (permission denied).`);
    });
  });

  describe("fileSafe", () => {
    it("keeps safe characters and replaces the rest, with no leading dot", () => {
      expect(fileSafe("a:b/c d.json")).toBe("a_b_c_d.json");
      expect(fileSafe("..x")).toBe("_x");
    });
  });
});
