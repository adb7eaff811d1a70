import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomically } from "../../../../src/drivers/shared/write-file";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe("writeAtomically", () => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-write-file-");
  });
  afterEach(() => home.cleanup());

  it("replaces the file whole and leaves no temp file", async () => {
    const path = join(home.home, "out.json");
    await writeAtomically(path, "first");
    await writeAtomically(path, new Uint8Array([104, 105]));
    expect(await readFile(path, "utf8")).toBe("hi");
    expect(await readdir(home.home)).toEqual(["out.json"]);
  });

  it("fails with the OS error when the folder is missing, and leaves nothing behind", async () => {
    const error = await writeAtomically(join(home.home, "missing", "out.json"), "x").catch((e) => e);
    expect((error as NodeJS.ErrnoException).code).toBe("ENOENT");
    expect(await readdir(home.home)).toEqual([]);
  });
});
