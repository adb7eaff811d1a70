import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverPlugins, isPluginFileName, pluginNameOf } from "../../../src/plugins/discover";

describe("discoverPlugins", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "databus-discover-"));
    for (const f of ["a.ts", "b.js", "same.ts", "same.js", "x/y/deep.ts", "types/databus.d.ts", "types/extra.ts", "node_modules/p/index.js", ".git/hook.ts", "x/.cache/c.ts", "readme.md", "tsconfig.json", "decl.d.ts", ".dot.ts"]) {
      await mkdir(join(dir, f, ".."), { recursive: true });
      await writeFile(join(dir, f), "");
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe("when the folder holds plugins and other files", () => {
    it("finds .ts and .js files by name, in subfolders, skipping types/, node_modules/, dotfiles and .d.ts", async () => {
      expect((await discoverPlugins(dir)).map((p) => p.name)).toEqual(["a", "b", "same", "x/y/deep"]);
    });

    it("prefers the .ts file when a .ts and a .js share a name", async () => {
      expect((await discoverPlugins(dir)).find((p) => p.name === "same")?.file).toBe(join(dir, "same.ts"));
    });
  });

  describe("when the folder does not exist", () => {
    it("finds nothing", async () => {
      expect(await discoverPlugins(join(dir, "missing"))).toEqual([]);
    });
  });
});

describe("pluginNameOf", () => {
  describe("when given paths", () => {
    it("names plugin files and rejects the rest", () => {
      expect(pluginNameOf("/h/plugins", "/h/plugins/acme/inv.ts")).toBe("acme/inv");
      expect(pluginNameOf("/h/plugins", "/h/plugins/types/x.ts")).toBeUndefined();
      expect(pluginNameOf("/h/plugins", "/h/other/x.ts")).toBeUndefined();
      expect(pluginNameOf("/h/plugins", "/h/plugins/a/node_modules/x.js")).toBeUndefined();
      expect(isPluginFileName("x.d.ts")).toBe(false);
    });
  });
});
