import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILTIN_DRIVERS } from "../../../src/plugins/builtins";
import { loadPlugins } from "../../../src/plugins/load";
import type { PluginRegistry, PluginRecord } from "../../../src/plugins/registry";
import { Puller } from "../../../src/sdk/index";

const FIXTURES = join(import.meta.dir, "../../fixtures/plugins");

function broken(registry: PluginRegistry, name: string) {
  const r = registry.get(name);
  if (r?.status !== "broken") throw new Error(`${name} is ${r ? r.status : "missing"}, expected broken`);
  return r;
}

describe("loadPlugins", () => {
  let home: string;
  let registry: PluginRegistry;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "databus-load-"));
    await cp(FIXTURES, join(home, "plugins", "fixtures"), { recursive: true });
    // What must never be taken for plugins: typings, tsconfig, packages, dotfiles.
    await mkdir(join(home, "plugins", "types"), { recursive: true });
    await writeFile(join(home, "plugins", "types", "databus.d.ts"), "declare module 'databus' {}\n");
    await writeFile(join(home, "plugins", "types", "helper.ts"), "throw new Error('types/ must not be imported');\n");
    await writeFile(join(home, "plugins", "tsconfig.json"), "{}\n");
    await mkdir(join(home, "plugins", "node_modules", "pkg"), { recursive: true });
    await writeFile(join(home, "plugins", "node_modules", "pkg", "index.js"), "throw new Error('no');\n");
    await writeFile(join(home, "plugins", ".hidden.ts"), "throw new Error('no');\n");
    await writeFile(join(home, "plugins", "notes.d.ts"), "export {};\n");
    await mkdir(join(home, "plugins", "databus"), { recursive: true });
    await writeFile(join(home, "plugins", "databus", "sneaky.ts"), "import { Pusher } from 'databus';\nexport default class S extends Pusher { push() {} }\n");
    registry = await loadPlugins(home);
  });

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  describe("when the home holds the fixture plugins", () => {
    it("registers the built-in demo drivers under databus/demo/", () => {
      const names = registry.list().filter((r) => r.name.startsWith("databus/demo/")).map((r) => r.name);
      expect(names).toContain("databus/demo/puller_1");
      expect(names).toContain("databus/demo/binary_pusher");
      expect(registry.get("databus/demo/passenger_1")).toMatchObject({ status: "loaded", kind: "passenger", file: null });
    });

    it("names plugins by their path under plugins/ and records their kind", () => {
      expect(registry.get("fixtures/puller-echo")).toMatchObject({ status: "loaded", kind: "puller" });
      expect(registry.get("fixtures/puller-async-iterable")).toMatchObject({ status: "loaded", kind: "puller" });
      expect(registry.get("fixtures/processor-skips-delivery")).toMatchObject({ status: "loaded", kind: "processor" });
      expect(registry.get("fixtures/pusher-fails-once")).toMatchObject({ status: "loaded", kind: "pusher" });
    });

    it("gives plugins the host's own SDK classes, so instanceof works", () => {
      const r = registry.get("fixtures/puller-echo") as PluginRecord & { status: "loaded" };
      expect(new r.cls()).toBeInstanceOf(Puller);
    });

    it("skips types/, node_modules/, dotfiles, .d.ts files and tsconfig.json", () => {
      const names = registry.list().map((r) => r.name);
      expect(names.filter((n) => !(n in BUILTIN_DRIVERS) && !n.startsWith("fixtures/"))).toEqual(["databus/sneaky"]);
    });
  });

  describe("when a plugin is broken", () => {
    it("reports a syntax error with the file and its line", () => {
      const r = broken(registry, "fixtures/plugin-syntax-error");
      expect(r.error.code).toBe("DBUS_PLG_LOAD_FAILED");
      expect(r.file).toBe(join(home, "plugins", "fixtures", "plugin-syntax-error.ts"));
      expect(r.error.params).toMatchObject({ file: "plugins/fixtures/plugin-syntax-error.ts", line: 6 });
      expect(r.error.message).toContain("line 6");
    });

    it("reports a throw at top level with its reason and line", () => {
      const r = broken(registry, "fixtures/plugin-throws-on-import");
      expect(r.error.code).toBe("DBUS_PLG_LOAD_FAILED");
      expect(r.error.params).toMatchObject({ line: 4, reason: "cannot reach the target system at start-up." });
    });

    it("rejects a default export that extends no SDK base class", () => {
      const r = broken(registry, "fixtures/plugin-wrong-base-class");
      expect(r.error.code).toBe("DBUS_PLG_BAD_EXPORT");
      expect(r.error.message).toContain("SomethingElse");
    });

    it("rejects a plain-JS puller without pull()", () => {
      const r = broken(registry, "fixtures/puller-missing-method");
      expect(r.error.code).toBe("DBUS_PLG_MISSING_METHOD");
      expect(r.error.params).toEqual({ kind: "puller", name: "fixtures/puller-missing-method", method: "pull" });
    });

    it("refuses user plugins under the reserved databus/ prefix", () => {
      expect(broken(registry, "databus/sneaky").error.code).toBe("DBUS_PLG_RESERVED_NAME");
    });

    it("lists every broken plugin and keeps loading the others", () => {
      expect(registry.broken().map((b) => b.name)).toEqual([
        "databus/sneaky",
        "fixtures/plugin-syntax-error",
        "fixtures/plugin-throws-on-import",
        "fixtures/plugin-wrong-base-class",
        "fixtures/puller-missing-method",
      ]);
    });
  });

  describe("when the home has no plugins folder", () => {
    it("loads only the built-ins", async () => {
      const empty = await mkdtemp(join(tmpdir(), "databus-empty-"));
      try {
        const r = await loadPlugins(empty);
        expect(r.list().map((p) => `${p.name}:${p.status}`).sort()).toEqual(Object.keys(BUILTIN_DRIVERS).map((n) => `${n}:loaded`).sort());
      } finally {
        await rm(empty, { recursive: true, force: true });
      }
    });
  });
});
