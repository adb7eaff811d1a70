import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { sweepTemps, TEMP_PREFIX, writeAtomic, writeFailure } from "../../../../src/storage/json/files";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe("json files", () => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome();
  });
  afterEach(() => home.cleanup());

  describe("when a file is written atomically", () => {
    it("replaces the content and leaves no temp file behind", async () => {
      const path = join(home.home, "config.json");
      await writeAtomic(path, "one");
      await writeAtomic(path, "two");
      expect(await readFile(path, "utf8")).toBe("two");
      expect(await readdir(home.home)).toEqual(["config.json"]);
    });

    it("writes content given in chunks one after another, in order", async () => {
      const path = join(home.home, "big.json");
      const chunks = ["[1", ",2", "", ",3]"].map((t) => Buffer.from(t));
      await writeAtomic(path, chunks);
      expect(await readFile(path, "utf8")).toBe("[1,2,3]");
      await writeAtomic(path, [Buffer.from("{}")]);
      expect(await readFile(path, "utf8")).toBe("{}");
    });
  });

  describe("when the write fails", () => {
    it("raises DBUS_STO_WRITE_FAILED, keeps what was there and leaves no temp file", async () => {
      // A non-empty folder where the file should go makes the final rename fail, even for root.
      const path = join(home.home, "config.json");
      await mkdir(join(path, "inside"), { recursive: true });
      const err = await writeAtomic(path, "new").then(() => undefined, (e) => e);
      expect(err?.code).toBe("DBUS_STO_WRITE_FAILED");
      expect(err?.params.path).toBe(path);
      expect(await readdir(path)).toEqual(["inside"]);
      expect(await readdir(home.home)).toEqual(["config.json"]);
    });

    it("maps a full disk to DBUS_STO_DISK_FULL and keeps the cause", () => {
      const cause = Object.assign(new Error("no space"), { code: "ENOSPC" });
      const err = writeFailure("/data/x.json", cause);
      expect(err.code).toBe("DBUS_STO_DISK_FULL");
      expect(err.cause).toBe(cause);
    });
  });

  describe("when leftovers of interrupted writes are swept", () => {
    it("deletes the temp files and folders and returns the other visible names, listing the folder once", async () => {
      const dir = join(home.home, "queue");
      await mkdir(join(dir, `${TEMP_PREFIX}entry-1`, "attachments"), { recursive: true });
      await writeFile(join(dir, `${TEMP_PREFIX}status.json-1`), "{}");
      await writeFile(join(dir, ".hidden"), "");
      await mkdir(join(dir, "a"));
      await writeFile(join(dir, "b.json"), "{}");
      expect((await sweepTemps(dir)).sort()).toEqual(["a", "b.json"]);
      expect((await readdir(dir)).sort()).toEqual([".hidden", "a", "b.json"]);
    });

    it("returns no names for a folder that is not there", async () => {
      expect(await sweepTemps(join(home.home, "missing"))).toEqual([]);
    });
  });
});
