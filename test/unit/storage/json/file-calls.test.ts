import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { blockingCalls, promiseCalls } from "../../../../src/storage/json/file-calls";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe.each([
  ["promise-based", promiseCalls],
  ["blocking", blockingCalls],
] as const)("file calls, %s", (_name, fs) => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-file-calls-");
  });
  afterEach(() => home.cleanup());

  it("replaces a longer file whole, text as UTF-8 and bytes as they are", async () => {
    const path = join(home.home, "a.json");
    await fs.writeFile(path, "a much longer first version");
    await fs.writeFile(path, "zwölf");
    expect(await readFile(path, "utf8")).toBe("zwölf");
    await fs.writeFile(path, new Uint8Array([0, 1, 255]));
    expect([...(await readFile(path))]).toEqual([0, 1, 255]);
  });

  it("writes over an existing file and cuts it to the new length (a spare temp reused)", async () => {
    const path = join(home.home, ".tmp-status.json-1");
    await fs.writeFile(path, JSON.stringify({ state: "pending", note: "a longer first version" }));
    await fs.overwrite(path, '{"state":"done"}');
    expect(await readFile(path, "utf8")).toBe('{"state":"done"}');
    await fs.overwrite(path, new Uint8Array([7]));
    expect([...(await readFile(path))]).toEqual([7]);
  });

  it("makes folders, renames and removes, a missing path being no error for a forced remove", async () => {
    const dir = join(home.home, "x", "y");
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(join(dir, "f"), "1");
    await fs.rename(join(dir, "f"), join(dir, "g"));
    expect(await readdir(dir)).toEqual(["g"]);
    await fs.rm(join(home.home, "x"), { recursive: true, force: true });
    await fs.rm(join(home.home, "x"), { recursive: true, force: true });
    expect(await readdir(home.home)).not.toContain("x");
  });

  it("lists every file under a folder as relative paths, and a missing folder as undefined", async () => {
    const dir = join(home.home, "entry");
    await mkdir(join(dir, "attachments", "deep"), { recursive: true });
    await writeFile(join(dir, "status.json"), "{}");
    await writeFile(join(dir, "attachments", "deep", "a.bin"), new Uint8Array([1]));
    expect((await fs.filesUnder(dir))!.sort()).toEqual(["attachments/deep/a.bin", "status.json"]);
    expect(await fs.filesUnder(join(home.home, "missing"))).toBeUndefined();
    expect(await fs.filesUnder(join(dir, "status.json"))).toBeUndefined(); // a file, not a folder
    expect([...(await fs.readFile(join(dir, "attachments", "deep", "a.bin")))]).toEqual([1]);
  });

  it("fails with the OS error code, as journal ops expect (ENOENT makes them create the folder)", async () => {
    const missing = join(home.home, "no", "such", "file");
    expect(await fs.writeFile(missing, "1").catch((e) => e.code)).toBe("ENOENT");
    expect(await fs.rename(missing, join(home.home, "b")).catch((e) => e.code)).toBe("ENOENT");
    await fs.mkdir(join(home.home, "d"));
    expect(await fs.mkdir(join(home.home, "d")).catch((e) => e.code)).toBe("EEXIST");
  });
});
