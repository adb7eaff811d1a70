import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPlugins, reloadPlugin } from "../../../src/plugins/load";
import type { PluginRegistry } from "../../../src/plugins/registry";

const PULLER = (version: string) =>
  `import { Puller, Passenger } from "databus";\nimport { label } from "./label";\n` +
  `export default class Versioned extends Puller {\n  pull() { return [new Passenger({ external_id: label + "${version}" })]; }\n}\n`;

async function pullOnce(registry: PluginRegistry, name: string): Promise<string> {
  const r = registry.get(name);
  if (r?.status !== "loaded") throw new Error(`${name} is not loaded: ${r?.status === "broken" ? r.error.message : "missing"}`);
  const puller = new r.cls() as { pull(): { external_id: string }[] };
  return puller.pull()[0]!.external_id;
}

describe("reloadPlugin", () => {
  let home: string;
  let dir: string;
  let registry: PluginRegistry;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "databus-reload-"));
    dir = join(home, "plugins", "acme");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "label.ts"), `export const label = "one-";\n`);
    await writeFile(join(dir, "versioned.ts"), PULLER("a"));
    registry = await loadPlugins(home);
  });

  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  describe("when the plugin file was edited", () => {
    it("imports the new code", async () => {
      expect(await pullOnce(registry, "acme/versioned")).toBe("one-a");
      await writeFile(join(dir, "versioned.ts"), PULLER("b"));
      await reloadPlugin(home, "acme/versioned", registry);
      expect(await pullOnce(registry, "acme/versioned")).toBe("one-b");
    });
  });

  describe("when only a file it imports was edited", () => {
    it("picks up the new dependency instead of a stale copy", async () => {
      await writeFile(join(dir, "label.ts"), `export const label = "two-";\n`);
      await reloadPlugin(home, join(dir, "versioned.ts"), registry);
      expect(await pullOnce(registry, "acme/versioned")).toBe("two-a");
    });
  });

  describe("when the edit breaks the file", () => {
    it("records it as broken with the line of the syntax error, and recovers once fixed", async () => {
      await writeFile(join(dir, "versioned.ts"), `import { Puller } from "databus";\n\nexport default class X extends Puller {\n  pull() { return [ }\n}\n`);
      const rec = await reloadPlugin(home, "acme/versioned", registry);
      expect(rec).toMatchObject({ status: "broken" });
      const r = registry.get("acme/versioned");
      if (r?.status !== "broken") throw new Error("expected broken");
      expect(r.error.code).toBe("DBUS_PLG_LOAD_FAILED");
      expect(r.error.params).toMatchObject({ file: "plugins/acme/versioned.ts", line: 4 });

      await writeFile(join(dir, "versioned.ts"), PULLER("c"));
      await reloadPlugin(home, "acme/versioned", registry);
      expect(await pullOnce(registry, "acme/versioned")).toBe("one-c");
    });

    it("records a throw at top level as a load failure at its own line", async () => {
      await writeFile(join(dir, "versioned.ts"), `// line 1\n\nthrow new Error("no config");\n`);
      await reloadPlugin(home, "acme/versioned", registry);
      const r = registry.get("acme/versioned");
      expect(r?.status === "broken" && r.error.code).toBe("DBUS_PLG_LOAD_FAILED");
      expect(r?.status === "broken" && r.error.message).toContain("no config");
      expect(r?.status === "broken" && r.error.params).toMatchObject({ line: 3 });
    });
  });

  describe("when a new file appears", () => {
    it("loads it under its name", async () => {
      await writeFile(join(dir, "fresh.ts"), PULLER("new"));
      const rec = await reloadPlugin(home, "acme/fresh", registry);
      expect(rec).toMatchObject({ status: "loaded", kind: "puller", name: "acme/fresh" });
    });
  });

  describe("when a file imported by plugins is not a plugin itself", () => {
    it("is neither loaded nor reported broken", () => {
      expect(registry.get("acme/label")).toBeUndefined();
    });
  });

  describe("when the file was deleted", () => {
    it("removes the plugin from the registry", async () => {
      await rm(join(dir, "versioned.ts"));
      expect(await reloadPlugin(home, "acme/versioned", registry)).toBeUndefined();
      expect(registry.get("acme/versioned")).toBeUndefined();
    });
  });
});
