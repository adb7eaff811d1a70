/**
 * A reloaded plugin must use the registry's modules for the plugin files it imports: a puller that
 * was edited still creates the passenger class the definition carries, and an edited passenger type
 * reaches the plugins that import it. Real files, real Bun.build bundles, the dispatcher's own check.
 */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { passengerProblem } from "../../../src/dispatcher/passenger-check";
import { loadPlugins, reloadPlugin, reloadPluginFiles } from "../../../src/plugins/load";
import type { LoadedPlugin, PluginRegistry } from "../../../src/plugins/registry";
import type { Passenger } from "../../../src/sdk/index";

const RET = (field: string) => `import { Passenger } from "databus";\nexport default class Ret extends Passenger {\n  ${field}\n}\n`;
const PULLER = (id: string) =>
  `import { Puller } from "databus";\nimport Ret from "./ret";\n` +
  `export default class RetPuller extends Puller<Ret> {\n  pull() { return [new Ret({ external_id: "${id}" })]; }\n}\n`;
const PUSHER = `import { Pusher } from "databus";\nimport type Ret from "./ret";\nimport { isRet } from "./check";\n` +
  `export default class RetPusher extends Pusher<Ret> {\n  push(p: Ret) { if (!isRet(p)) throw new Error("not a Ret"); }\n}\n`;
// A helper between the passenger and the pusher: the pusher is reached only through it.
const CHECK = `import Ret from "./ret";\nexport const isRet = (p: unknown): boolean => p instanceof Ret;\n`;

describe("reloading plugins that import their passenger type", () => {
  let home: string;
  let dir: string;
  let registry: PluginRegistry;
  const write = (file: string, text: string) => writeFile(join(dir, file), text);

  function loaded(name: string): LoadedPlugin {
    const r = registry.get(name);
    if (r?.status !== "loaded") throw new Error(`${name} is not loaded: ${r?.status === "broken" ? r.error.message : "missing"}`);
    return r;
  }
  const pull = () => (new (loaded("shop/ret_puller").cls)() as { pull(): unknown[] }).pull()[0];
  const passengerClass = () => loaded("shop/ret").cls as typeof Passenger;
  /** What the dispatcher says about the pulled passenger: null means it would be seated. */
  const pullProblem = () => passengerProblem(pull(), passengerClass());

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "databus-reload-class-"));
    dir = join(home, "plugins", "shop");
    await mkdir(dir, { recursive: true });
    await write("ret.ts", RET("kind = 1;"));
    await write("ret_puller.ts", PULLER("a"));
    await write("check.ts", CHECK);
    await write("ret_pusher.ts", PUSHER);
    registry = await loadPlugins(home);
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  describe("when the puller is edited", () => {
    it("keeps creating the registry's passenger class", async () => {
      expect(pullProblem()).toBeNull();
      await write("ret_puller.ts", PULLER("b"));
      await reloadPlugin(home, "shop/ret_puller", registry);
      expect(pull()).toMatchObject({ external_id: "b" });
      expect(pullProblem()).toBeNull();
    });

    it("keeps it over several edits", async () => {
      for (const id of ["b", "c", "d"]) {
        await write("ret_puller.ts", PULLER(id));
        await reloadPlugin(home, "shop/ret_puller", registry);
        expect(pullProblem()).toBeNull();
      }
    });
  });

  describe("when the passenger type is edited", () => {
    it("reloads the plugins importing it, through helpers too, so they use the new class", async () => {
      const old = passengerClass();
      await write("ret.ts", RET("kind = 2;"));
      const changes = await reloadPluginFiles(home, [join(dir, "ret.ts")], registry);
      expect(changes.map((c) => c.name)).toEqual(["shop/ret", "shop/ret_puller", "shop/ret_pusher"]);
      expect(passengerClass()).not.toBe(old);
      expect(pull()).toMatchObject({ kind: 2 });
      expect(pullProblem()).toBeNull();
      const pusher = new (loaded("shop/ret_pusher").cls)() as { push(p: unknown): void };
      expect(() => pusher.push(pull())).not.toThrow();
    });

    it("then lets the puller be edited again against the new class", async () => {
      await write("ret.ts", RET("kind = 2;"));
      await reloadPlugin(home, "shop/ret", registry);
      await write("ret_puller.ts", PULLER("e"));
      await reloadPlugin(home, "shop/ret_puller", registry);
      expect(pull()).toMatchObject({ external_id: "e", kind: 2 });
      expect(pullProblem()).toBeNull();
    });
  });

  describe("when only the puller is reloaded but its passenger was edited too", () => {
    it("reloads the edited passenger with it", async () => {
      await write("ret.ts", RET("kind = 3;"));
      await reloadPlugin(home, "shop/ret_puller", registry);
      expect(pull()).toMatchObject({ kind: 3 });
      expect(pullProblem()).toBeNull();
    });
  });

  describe("when an edit breaks the passenger type", () => {
    it("reports it with file and line, keeps the old class for its importers, and recovers once fixed", async () => {
      const pullerClass = loaded("shop/ret_puller").cls;
      await write("ret.ts", `import { Passenger } from "databus";\n\nexport default class Ret extends Passenger {\n  kind = ;\n}\n`);
      const changes = await reloadPluginFiles(home, [join(dir, "ret.ts")], registry);
      expect(changes.map((c) => c.name)).toEqual(["shop/ret"]);
      const r = registry.get("shop/ret");
      if (r?.status !== "broken") throw new Error("expected broken");
      expect(r.error.code).toBe("DBUS_PLG_LOAD_FAILED");
      expect(r.error.params).toMatchObject({ file: "plugins/shop/ret.ts", line: 4 });
      // The puller was left alone, still creating the class it had.
      expect(loaded("shop/ret_puller").cls).toBe(pullerClass);
      expect(pull()).toMatchObject({ kind: 1 });

      await write("ret.ts", RET("kind = 4;"));
      await reloadPlugin(home, "shop/ret", registry);
      expect(pull()).toMatchObject({ kind: 4 });
      expect(pullProblem()).toBeNull();
    });
  });

  describe("when an edit breaks the puller", () => {
    it("reports the puller and leaves the passenger type as it was", async () => {
      const ret = passengerClass();
      await write("ret_puller.ts", `import { Puller } from "databus";\nimport Ret from "./ret";\nexport default class P extends Puller {\n  pull() { return [ }\n}\n`);
      await reloadPlugin(home, "shop/ret_puller", registry);
      expect(registry.get("shop/ret_puller")).toMatchObject({ status: "broken", error: { params: { file: "plugins/shop/ret_puller.ts", line: 4 } } });
      expect(passengerClass()).toBe(ret);
    });
  });

  describe("when the passenger file is deleted", () => {
    it("removes it and reports the files that import it as broken (a helper too, it cannot load)", async () => {
      await rm(join(dir, "ret.ts"));
      const changes = await reloadPluginFiles(home, [join(dir, "ret.ts")], registry);
      expect(changes.map((c) => [c.name, c.record?.status])).toEqual([
        ["shop/ret", undefined],
        ["shop/check", "broken"],
        ["shop/ret_puller", "broken"],
      ]);
      expect(registry.get("shop/ret")).toBeUndefined();
    });
  });

  describe("when two plugin files import each other", () => {
    it("reloads them together, so each holds the other's new class", async () => {
      await write("order.ts", `import { Passenger } from "databus";\nimport Line from "./line";\nexport default class Order extends Passenger {\n  lines(): Line[] { return [new Line({ external_id: "l" })]; }\n}\n`);
      const line = (v: number) =>
        `import { Passenger } from "databus";\nimport Order from "./order";\nexport default class Line extends Passenger {\n  v = ${v};\n  order() { return new Order({ external_id: "o" }); }\n}\n`;
      await write("line.ts", line(1));
      await reloadPluginFiles(home, [join(dir, "order.ts"), join(dir, "line.ts")], registry);
      await write("line.ts", line(2));
      const changes = await reloadPluginFiles(home, [join(dir, "line.ts")], registry);
      expect(changes.map((c) => c.name).sort()).toEqual(["shop/line", "shop/order"]);
      const Order = loaded("shop/order").cls as new (init: object) => { lines(): { v: number; order(): unknown }[] };
      const Line = loaded("shop/line").cls;
      const l = new Order({ external_id: "o" }).lines()[0]!;
      expect(l).toBeInstanceOf(Line);
      expect(l.v).toBe(2);
      expect(l.order()).toBeInstanceOf(Order);
    });
  });
});
