import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { chmod, mkdir, readdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import FolderPuller from "../../../../src/drivers/files/puller-folder";
import { runAsNobody } from "../../../support/as-nobody";
import { createTempHome, type TempHome } from "../../../support/temp-home";
import { fakeContext } from "../fake-context";

const DRIVER = "databus/files/folder_puller";

describe("databus/files/folder_puller", () => {
  let t: TempHome;
  let inbox: string;
  beforeEach(async () => {
    t = await createTempHome("databus-folder-puller-");
    inbox = join(t.home, "inbox");
    await mkdir(inbox);
  });
  afterEach(() => t.cleanup());

  const ctx = (options: Record<string, unknown>) => fakeContext({ home: t.home, driver: DRIVER, options: { folder: "inbox", ...options } });

  describe("when the folder holds JSON files, a broken one and others", () => {
    it("pulls one passenger per good JSON file and moves the broken one to error/", async () => {
      await writeFile(join(inbox, "a.json"), `{"n": 1}`);
      await writeFile(join(inbox, "b.json"), `{"n": 2}`);
      await writeFile(join(inbox, "bad.json"), `{"n": `);
      await writeFile(join(inbox, "notes.txt"), "x");
      const c = ctx({});
      const pulled = await new FolderPuller().pull(c);
      expect(pulled.map((p) => [p.external_id, p.payload])).toEqual([["a.json", { n: 1 }], ["b.json", { n: 2 }]]);
      expect(await readdir(join(inbox, "error"))).toEqual(["bad.json"]);
      expect(c.lines).toContainEqual({ level: "error", message: expect.stringContaining("bad.json") });
    });
  });

  describe("when read as attachments with patterns", () => {
    it("takes only matching files, with their bytes as the attachment and facts as payload", async () => {
      await writeFile(join(inbox, "r1.csv"), "a;b\n1;2\n");
      await writeFile(join(inbox, "r2.xml"), "<x/>");
      await writeFile(join(inbox, "skip.txt"), "no");
      await writeFile(join(inbox, ".hidden.csv.tmp"), "half");
      const pulled = await new FolderPuller().pull(ctx({ read_as: "attachment", patterns: ["*.csv", "*.xml"] }));
      expect(pulled.map((p) => p.external_id)).toEqual(["r1.csv", "r2.xml"]);
      expect(pulled[0]!.payload).toMatchObject({ path: "r1.csv", name: "r1.csv", size: 8 });
      expect(new TextDecoder().decode(pulled[0]!.attachments[0]!.content as Uint8Array)).toBe("a;b\n1;2\n");
    });

    it("finds files in subfolders with ** but never those already in done/ or error/", async () => {
      await mkdir(join(inbox, "sub"));
      await mkdir(join(inbox, "done"));
      await writeFile(join(inbox, "sub", "deep.csv"), "1");
      await writeFile(join(inbox, "done", "old.csv"), "0");
      const pulled = await new FolderPuller().pull(ctx({ read_as: "attachment", patterns: "**/*.csv" }));
      expect(pulled.map((p) => p.external_id)).toEqual(["sub/deep.csv"]);
    });
  });

  describe("when notified", () => {
    it("moves seated files to done/ (keeping subfolders), and a repeated notify is harmless", async () => {
      await mkdir(join(inbox, "sub"));
      await writeFile(join(inbox, "a.json"), "{}");
      await writeFile(join(inbox, "sub", "b.json"), "{}");
      const puller = new FolderPuller();
      const c = ctx({ patterns: ["*.json", "sub/*.json"] });
      const pulled = await puller.pull(c);
      await puller.notifySeated(pulled, c);
      await puller.notifySeated(pulled, c);
      expect((await readdir(join(inbox, "done"), { recursive: true })).sort()).toEqual(["a.json", "sub", "sub/b.json"]);
      expect((await readdir(inbox)).sort()).toEqual(["done", "sub"]);
    });

    it("keeps an older file of the same name in done/ and gives the new one a time suffix", async () => {
      await mkdir(join(inbox, "done"));
      await writeFile(join(inbox, "done", "a.json"), `{"old": true}`);
      await writeFile(join(inbox, "a.json"), `{"new": true}`);
      const puller = new FolderPuller();
      const c = ctx({});
      await puller.notifySeated(await puller.pull(c), c);
      const done = (await readdir(join(inbox, "done"))).sort();
      expect(done).toHaveLength(2);
      expect(done[0]).toMatch(/^a\.\d{4}-.+\.json$/);
      expect(done[1]).toBe("a.json");
    });

    it("deletes them with on_notify delete", async () => {
      await writeFile(join(inbox, "a.json"), "{}");
      const puller = new FolderPuller();
      const c = ctx({ on_notify: "delete" });
      await puller.notifySeated(await puller.pull(c), c);
      expect(await readdir(inbox)).toEqual([]);
    });
  });

  describe("when peeked", () => {
    it("shows what waits without moving anything, not even broken files", async () => {
      await writeFile(join(inbox, "a.json"), "{}");
      await writeFile(join(inbox, "bad.json"), "{");
      const peeked = await new FolderPuller().peek(ctx({}));
      expect(peeked.map((p) => p.external_id)).toEqual(["a.json"]);
      expect((await readdir(inbox)).sort()).toEqual(["a.json", "bad.json"]);
    });
  });

  describe("when files are still being written", () => {
    it("leaves files younger than min_age_seconds for a later run", async () => {
      await writeFile(join(inbox, "fresh.json"), "{}");
      expect(await new FolderPuller().pull(ctx({ min_age_seconds: 3600 }))).toEqual([]);
    });

    it("takes a file whose time is ahead of the clock when no minimum age is set (a share's clock, or the same millisecond)", async () => {
      const path = join(inbox, "ahead.json");
      await writeFile(path, "{}");
      const ahead = new Date(Date.now() + 60_000);
      await utimes(path, ahead, ahead);
      expect((await new FolderPuller().pull(ctx({}))).map((p) => p.external_id)).toEqual(["ahead.json"]);
      expect(await new FolderPuller().pull(ctx({ min_age_seconds: 1 }))).toEqual([]);
    });
  });

  describe("when the folder or options are wrong", () => {
    it("says that a missing folder does not exist, naming it and the option", async () => {
      await expect(new FolderPuller().pull(ctx({ folder: "nowhere" }))).rejects.toThrow(
        `${DRIVER}: the folder ${join(t.home, "nowhere")} does not exist. Create it, or fix the option \`folder\``,
      );
    });

    it("says when the folder is a file", async () => {
      await writeFile(join(t.home, "plain"), "x");
      await expect(new FolderPuller().pull(ctx({ folder: "plain" }))).rejects.toThrow("is a file, not a folder");
    });

    it("asks for the folder when the option is missing, and names bad values", async () => {
      await expect(new FolderPuller().pull(fakeContext({ home: t.home, driver: DRIVER }))).rejects.toThrow("the option `folder` is required");
      await expect(new FolderPuller().pull(ctx({ read_as: "xml" }))).rejects.toThrow('the option `read_as` must be one of "json", "attachment"');
    });

    it("says permission is denied when the folder may not be read", async () => {
      await chmod(inbox, 0o000);
      const driver = join(import.meta.dir, "../../../../src/drivers/files/puller-folder.ts");
      const probe = await runAsNobody(
        t.home,
        `import P from ${JSON.stringify(driver)};
         const ctx = { driver: "${DRIVER}", home: ${JSON.stringify(t.home)}, options: { folder: "inbox" }, log: console };
         await new P().pull(ctx).then(() => console.log("pulled"), (e) => console.log(e.message));`,
      );
      await chmod(inbox, 0o755);
      expect(probe.stdout).toContain(`${DRIVER}: Databus may not read the folder ${inbox} (permission denied). Give the user running Databus access to it.`);
    });
  });
});
