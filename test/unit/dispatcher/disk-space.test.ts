import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { freeSpacePercent, lowDiskWarning } from "../../../src/dispatcher/disk-space";
import { createTempHome, type TempHome } from "../../support/temp-home";

describe("disk-space", () => {
  let t: TempHome;
  beforeEach(async () => {
    t = await createTempHome("databus-disk-");
    await mkdir(t.dataDir);
  });
  afterEach(() => t.cleanup());

  describe("when less than 5 % is free under data/", () => {
    it("warns with the folder and the share", async () => {
      const measured: string[] = [];
      const warning = await lowDiskWarning(t.home, async (path) => (measured.push(path), 3.27));
      expect(measured).toEqual([t.dataDir]);
      expect(`${warning!.code} ${warning!.message}`).toBe(`DBUS_WRN_STO_DISK_LOW Only 3.2 % of the disk that holds ${t.dataDir} is free.`);
    });
  });

  describe("when there is room, or the disk cannot be measured", () => {
    it("says nothing", async () => {
      expect(await lowDiskWarning(t.home, async () => 40)).toBeNull();
      expect(await lowDiskWarning(t.home, async () => null)).toBeNull();
    });
  });

  describe("when statfs reads a real folder", () => {
    it("gives a share between 0 and 100, and null for a missing folder", async () => {
      const p = await freeSpacePercent(t.home);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(100);
      expect(await freeSpacePercent(join(t.home, "missing"))).toBeNull();
    });
  });
});
