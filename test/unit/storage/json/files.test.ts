import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomic, writeFailure } from "../../../../src/storage/json/files";
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
});
