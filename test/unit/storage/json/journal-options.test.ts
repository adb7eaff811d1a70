import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { syncDataFiles } from "../../../../src/storage/json/journal-options";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe("journal options", () => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-journal-options-");
  });
  afterEach(() => home.cleanup());

  it("syncs a few written files one by one, passing over those removed since", async () => {
    const file = join(home.home, "a.json");
    await writeFile(file, "{}");
    expect(await syncDataFiles(home.home, new Set([file, home.home, join(home.home, "gone.json")]))).toBeUndefined();
  });

  it("syncs many files at once, and also when some are gone", async () => {
    const files = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const f = join(home.home, `f${i}.json`);
        await writeFile(f, String(i));
        return f;
      }),
    );
    expect(await syncDataFiles(home.home, new Set([...files, join(home.home, "gone.json")]))).toBeUndefined();
  });

  it("fails with the OS error when a path cannot be opened for another reason than being gone", async () => {
    const file = join(home.home, "a.json");
    await writeFile(file, "{}");
    const error = await syncDataFiles(home.home, new Set([join(file, "inside")])).catch((e) => e);
    expect((error as NodeJS.ErrnoException).code).toBe("ENOTDIR");
  });
});
