/**
 * Reloads plugins when their files change: watches `<home>/plugins/` (recursively), waits for the
 * burst of events an editor makes to settle, then reloads each changed plugin and every plugin
 * that imports a changed file (a passenger type, a helper).
 */
import { watch, type FSWatcher } from "node:fs";
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { pluginsDir } from "./discover";
import { reloadPluginFiles } from "./load";
import type { PluginRecord, PluginRegistry } from "./registry";

export interface WatchOptions {
  /** Quiet time before reloading, in ms. Editors write a file in several steps. */
  debounceMs?: number;
  /** Called after each batch with the plugins reloaded (undefined record = the file is gone). */
  onReload?: (changes: { name: string; record: PluginRecord | undefined }[]) => void;
}

export interface PluginWatcher {
  close(): void;
  /** Resolves when the reloads started so far are finished (for tests and shutdown). */
  settled(): Promise<void>;
}

export async function watchPlugins(home: string, registry: PluginRegistry, options: WatchOptions = {}): Promise<PluginWatcher> {
  const dir = pluginsDir(home);
  await mkdir(dir, { recursive: true });
  const changed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();

  const flush = () => {
    timer = undefined;
    const files = [...changed];
    changed.clear();
    // Batches run one after another, so two reloads of one file never race.
    running = running.then(() => reloadBatch(home, registry, files, options.onReload));
  };

  const watcher: FSWatcher = watch(dir, { recursive: true }, (_event, filename) => {
    if (!filename) return;
    changed.add(resolve(dir, filename.toString()));
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, options.debounceMs ?? 200);
  });

  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
    settled: () => running,
  };
}

async function reloadBatch(home: string, registry: PluginRegistry, files: string[], onReload: WatchOptions["onReload"]): Promise<void> {
  // reloadPluginFiles also reloads the files that import a changed one, dependencies first.
  const changes = await reloadPluginFiles(home, files, registry);
  if (changes.length > 0) onReload?.(changes);
}
