import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dependenciesOf, importCandidates, importersOf, reloadOrder, resolveLocalImport, scanImportGraph, type ImportGraph } from "../../../src/plugins/graph";

describe("scanImportGraph", () => {
  let dir: string;
  let graph: ImportGraph;
  const f = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), "databus-graph-")), "plugins");
    await mkdir(join(dir, "shop", "lib"), { recursive: true });
    await mkdir(join(dir, "types"), { recursive: true });
    await writeFile(f("shop/puller.ts"), `import "databus";\nimport Order from "./order";\nimport { x } from "./lib";\nimport "node:fs";\nimport "../types/extra";\nexport default [Order, x];\n`);
    await writeFile(f("shop/order.ts"), `import { Passenger } from "databus";\nexport { c } from "./c.js";\nexport default class Order extends Passenger {}\n`);
    await writeFile(f("shop/c.ts"), `export const c = 1;\n`);
    await writeFile(f("shop/lib/index.ts"), `export const x = 1;\n`);
    await writeFile(f("shop/orphan.ts"), `import gone from "./gone";\nexport default gone;\n`);
    await writeFile(f("shop/broken.ts"), `import "./order";\nexport default class {\n  oops(: {\n`);
    await writeFile(f("types/extra.ts"), `export {};\n`);
    graph = await scanImportGraph(dir);
  });

  afterAll(async () => {
    await rm(join(dir, ".."), { recursive: true, force: true });
  });

  describe("when plugins import local files", () => {
    it("records relative imports of plugin files, resolved like the loader (index files, ./x.js for x.ts)", () => {
      expect([...graph.get(f("shop/puller.ts"))!].sort()).toEqual([f("shop/lib/index.ts"), f("shop/order.ts")]);
      expect([...graph.get(f("shop/order.ts"))!]).toEqual([f("shop/c.ts")]);
    });

    it("ignores packages, node: modules and files outside the plugin files (types/)", () => {
      expect([...graph.keys()].some((k) => k.includes("types"))).toBe(false);
    });

    it("keeps every candidate of an import whose file is gone, so its importers are still found", () => {
      expect(graph.get(f("shop/orphan.ts"))!.has(f("shop/gone.ts"))).toBe(true);
      expect(importersOf(graph, [f("shop/gone.ts")])).toEqual(new Set([f("shop/orphan.ts")]));
    });

    it("gives a file with a syntax error no edges (it is reported when it is loaded)", () => {
      expect(graph.get(f("shop/broken.ts"))!.size).toBe(0);
    });
  });

  describe("when asked who depends on whom", () => {
    it("follows imports and importers transitively", () => {
      expect(dependenciesOf(graph, [f("shop/puller.ts")])).toEqual(new Set([f("shop/order.ts"), f("shop/c.ts"), f("shop/lib/index.ts")]));
      expect(importersOf(graph, [f("shop/c.ts")])).toEqual(new Set([f("shop/order.ts"), f("shop/puller.ts")]));
    });
  });
});

describe("reloadOrder", () => {
  const graph: ImportGraph = new Map([
    ["/p/puller.ts", new Set(["/p/helper.ts"])],
    ["/p/helper.ts", new Set(["/p/order.ts"])],
    ["/p/order.ts", new Set(["/p/line.ts"])],
    ["/p/line.ts", new Set(["/p/order.ts"])],
    ["/p/other.ts", new Set<string>()],
  ]);

  describe("when files import each other in a chain and a cycle", () => {
    it("puts dependencies first and a cycle in one group", () => {
      expect(reloadOrder(graph, ["/p/puller.ts", "/p/helper.ts", "/p/order.ts", "/p/line.ts"])).toEqual([
        ["/p/line.ts", "/p/order.ts"],
        ["/p/helper.ts"],
        ["/p/puller.ts"],
      ]);
    });
  });

  describe("when only some files are to be reloaded", () => {
    it("leaves the others out", () => {
      expect(reloadOrder(graph, ["/p/puller.ts", "/p/other.ts"])).toEqual([["/p/other.ts"], ["/p/puller.ts"]]);
    });
  });
});

describe("importCandidates", () => {
  describe("when the specifier has no extension", () => {
    it("tries .ts, .js, then the folder's index", () => {
      expect(importCandidates("./order", "/p/shop/puller.ts")).toEqual(["/p/shop/order.ts", "/p/shop/order.js", "/p/shop/order/index.ts", "/p/shop/order/index.js"]);
    });
  });

  describe("when it names a .js file", () => {
    it("tries the .js file, then the .ts file of that name", () => {
      expect(importCandidates("../lib/x.js", "/p/shop/puller.ts").slice(0, 2)).toEqual(["/p/lib/x.js", "/p/lib/x.ts"]);
    });
  });

  describe("when nothing matches on disk", () => {
    it("resolves to undefined", () => {
      expect(resolveLocalImport("./nothing-here", join(tmpdir(), "x.ts"))).toBeUndefined();
    });
  });
});
