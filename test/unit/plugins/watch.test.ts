import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPlugins } from "../../../src/plugins/load";
import type { PluginRecord, PluginRegistry } from "../../../src/plugins/registry";
import { watchPlugins, type PluginWatcher } from "../../../src/plugins/watch";

type Change = { name: string; record: PluginRecord | undefined };

const pusher = (word: string) =>
  `import { Pusher } from "databus";\nimport Doc from "./doc";\nexport default class P extends Pusher {\n  push() { return "${word}" as never; }\n}\n`;
const passenger = `import { Passenger } from "databus";\nexport default class Doc extends Passenger {}\n`;

describe("watchPlugins", () => {
  let home: string;
  let registry: PluginRegistry;
  let watcher: PluginWatcher | undefined;
  const batches: Change[][] = [];
  let wake: (() => void) | undefined;

  /** Resolves at the next reload batch (bun's test timeout bounds the wait). */
  const nextBatch = () => new Promise<void>((r) => (wake = r));

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "databus-watch-"));
    await mkdir(join(home, "plugins", "acme"), { recursive: true });
    await writeFile(join(home, "plugins", "acme", "doc.ts"), passenger);
    await writeFile(join(home, "plugins", "acme", "deliver.ts"), pusher("one"));
    registry = await loadPlugins(home);
    batches.length = 0;
    watcher = await watchPlugins(home, registry, {
      debounceMs: 30,
      onReload: (changes) => {
        batches.push(changes);
        wake?.();
      },
    });
  });

  afterEach(async () => {
    watcher?.close();
    await rm(home, { recursive: true, force: true });
  });

  describe("when a plugin file is saved with an error", () => {
    it("reloads it and records it broken", async () => {
      const seen = nextBatch();
      await writeFile(join(home, "plugins", "acme", "deliver.ts"), "export default 42;\n");
      await seen;
      await watcher!.settled();
      expect(registry.get("acme/deliver")).toMatchObject({ status: "broken" });
    });
  });

  describe("when a file that other plugins import changes", () => {
    it("reloads the changed file and the plugins that import it", async () => {
      const seen = nextBatch();
      await writeFile(join(home, "plugins", "acme", "doc.ts"), passenger.replace("{}", "{ extra = 1; }"));
      await seen;
      await watcher!.settled();
      const names = [...new Set(batches.flat().map((c) => c.name))].sort();
      expect(names).toEqual(["acme/deliver", "acme/doc"]);
      expect(registry.get("acme/deliver")).toMatchObject({ status: "loaded", kind: "pusher" });
    });
  });
});
