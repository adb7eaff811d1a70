/**
 * Reloads plugins when their files change: watches `<home>/plugins/` (recursively), waits for the
 * burst of events an editor makes to settle, then reloads each changed plugin and every plugin
 * that imports a changed file (a passenger type, a helper).
 */
import { watch, type FSWatcher } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { pluginNameOf, pluginsDir } from "./discover";
import { reloadPlugin } from "./load";
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

async function reloadBatch(
  home: string,
  registry: PluginRegistry,
  files: string[],
  onReload: WatchOptions["onReload"],
): Promise<void> {
  const dir = pluginsDir(home);
  const targets = new Map<string, string>(); // name → file
  for (const file of files) {
    const name = pluginNameOf(dir, file);
    if (name !== undefined) targets.set(name, file);
  }
  const touched = new Set(files);
  for (const r of registry.list()) {
    if (!r.file || targets.has(r.name)) continue;
    const deps = await localDependencies(r.file);
    if ([...deps].some((d) => touched.has(d))) targets.set(r.name, r.file);
  }
  const changes: { name: string; record: PluginRecord | undefined }[] = [];
  for (const [name, file] of targets) {
    changes.push({ name, record: await reloadPlugin(home, file, registry) });
  }
  if (changes.length > 0) onReload?.(changes);
}

const transpiler = new Bun.Transpiler({ loader: "ts" });

/** Files a plugin imports by relative path, directly or through other local files. */
export async function localDependencies(file: string, seen = new Set<string>()): Promise<Set<string>> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch {
    return seen; // deleted or unreadable: it has no dependencies we could follow
  }
  let imports: { path: string }[];
  try {
    imports = transpiler.scanImports(source);
  } catch {
    return seen; // a syntax error: the plugin itself is reported broken when it is reloaded
  }
  for (const { path } of imports) {
    if (!path.startsWith(".")) continue;
    const candidates = /\.(ts|js)$/.test(path) ? [path] : [`${path}.ts`, `${path}.js`, join(path, "index.ts")];
    for (const candidate of candidates) {
      const dep = resolve(dirname(file), candidate);
      if (seen.has(dep) || !(await Bun.file(dep).exists())) continue;
      seen.add(dep);
      await localDependencies(dep, seen);
      break;
    }
  }
  return seen;
}
