import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { bundleGroup, currentModuleOf, forgetModule, isStale, noteOriginalLoad } from "../../../src/plugins/current-modules";

describe("current modules", () => {
  let dir: string;
  const f = (name: string) => join(dir, name);
  const ORDER = `export default class Order {}\n`;

  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), "databus-current-")), "plugins");
    await mkdir(join(dir, "shop"), { recursive: true });
    await writeFile(f("shop/order.ts"), ORDER);
    await writeFile(f("shop/puller.ts"), `import Order from "./order";\nimport data from "./data.json";\nexport const make = () => [new Order(), data];\n`);
    await writeFile(f("shop/data.json"), `{ "n": 1 }\n`);
  });

  afterEach(async () => {
    await rm(dirname(dir), { recursive: true, force: true });
  });

  describe("when a file was never reloaded", () => {
    it("is imported by its own path", () => {
      expect(currentModuleOf(f("shop/order.ts"))).toBe(f("shop/order.ts"));
    });
  });

  describe("when a file is bundled", () => {
    it("leaves its imports of plugin files external, at their current module, and bundles other files in", async () => {
      const group = await bundleGroup(dir, [f("shop/puller.ts")]);
      const text = await Bun.file(group.modules.get(f("shop/puller.ts"))!).text();
      expect(text).toContain(`from "${f("shop/order.ts")}"`);
      expect(text).toContain(`n: 1`);
      const order = await import(f("shop/order.ts"));
      const puller = await import(group.modules.get(f("shop/puller.ts"))!);
      expect(puller.make()[0]).toBeInstanceOf(order.default);
      group.finish();
    });

    it("makes the bundle current once adopted, and later bundles import that one", async () => {
      const first = await bundleGroup(dir, [f("shop/order.ts")]);
      first.adopt(f("shop/order.ts"));
      first.finish();
      expect(currentModuleOf(f("shop/order.ts"))).toBe(first.modules.get(f("shop/order.ts"))!);
      const second = await bundleGroup(dir, [f("shop/puller.ts")]);
      expect(await Bun.file(second.modules.get(f("shop/puller.ts"))!).text()).toContain(`from "${currentModuleOf(f("shop/order.ts"))}"`);
      second.finish();
      forgetModule(f("shop/order.ts"));
      expect(currentModuleOf(f("shop/order.ts"))).toBe(f("shop/order.ts"));
    });

    it("removes a bundle nobody adopted, and a superseded one", async () => {
      const unused = await bundleGroup(dir, [f("shop/order.ts")]);
      unused.finish();
      expect(existsSync(unused.modules.get(f("shop/order.ts"))!)).toBe(false);

      const first = await bundleGroup(dir, [f("shop/order.ts")]);
      first.adopt(f("shop/order.ts"));
      first.finish();
      expect(existsSync(first.modules.get(f("shop/order.ts"))!)).toBe(true);
      const second = await bundleGroup(dir, [f("shop/order.ts")]);
      second.adopt(f("shop/order.ts"));
      second.finish();
      expect(existsSync(first.modules.get(f("shop/order.ts"))!)).toBe(false);
      forgetModule(f("shop/order.ts"));
      expect(existsSync(second.modules.get(f("shop/order.ts"))!)).toBe(false);
    });
  });

  describe("when a file does not bundle", () => {
    it("throws Bun's build messages, with the file and line", async () => {
      await writeFile(f("shop/order.ts"), `export default class Order {\n  x = ;\n}\n`);
      const error = await bundleGroup(dir, [f("shop/order.ts")]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AggregateError);
      expect((error as AggregateError).errors[0]).toMatchObject({ position: { file: f("shop/order.ts"), line: 2 } });
    });
  });

  describe("when the file changed after its module was made", () => {
    it("is stale until a new module is adopted", async () => {
      noteOriginalLoad(f("shop/order.ts"), ORDER);
      expect(await isStale(f("shop/order.ts"))).toBe(false);
      await writeFile(f("shop/order.ts"), `export default class Order { v = 2; }\n`);
      expect(await isStale(f("shop/order.ts"))).toBe(true);
      const group = await bundleGroup(dir, [f("shop/order.ts")]);
      group.adopt(f("shop/order.ts"));
      group.finish();
      expect(await isStale(f("shop/order.ts"))).toBe(false);
      forgetModule(f("shop/order.ts"));
    });
  });
});
