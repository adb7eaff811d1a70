/**
 * Loads plugins into the registry: the built-ins, then every file under `<home>/plugins/`.
 * Registers the virtual "databus" module first so plugins get the host's own SDK classes, and
 * "databus/mail", "databus/files", "databus/http" so they can extend the built-in drivers.
 * A broken plugin is recorded as broken and never stops the others.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { DatabusError } from "../core/errors";
import * as sdk from "../sdk/index";
import { BUILTIN_DRIVERS, BUILTIN_MODULES } from "./builtins";
import { bundleGroup, currentModuleOf, forgetModule, isStale, noteOriginalLoad, type BundledGroup } from "./current-modules";
import { discoverPlugins, pluginNameOf, pluginsDir } from "./discover";
import { dependenciesOf, importersOf, reloadOrder, scanImportGraph } from "./graph";
import { kindOfClass, PluginRegistry, type PluginRecord } from "./registry";
import { checkPluginName, loadFailure, validatePluginModule } from "./validate";

let sdkModuleRegistered = false;

/** The specifiers plugins import from the host: left out of a re-bundled plugin, resolved at import. */
export const HOST_MODULES: readonly string[] = ["databus", ...Object.keys(BUILTIN_MODULES)];

/**
 * Makes `import … from "databus"` resolve to this process's SDK, and "databus/mail" (…) to its
 * built-in drivers, so `instanceof` against the base classes works for plugins (also inside a
 * `bun build --compile` binary). Once per process.
 */
export function registerSdkModule(): void {
  if (sdkModuleRegistered) return;
  sdkModuleRegistered = true;
  Bun.plugin({
    name: "databus-sdk",
    setup(build) {
      build.module("databus", () => ({ exports: { ...sdk }, loader: "object" }));
      for (const [specifier, mod] of Object.entries(BUILTIN_MODULES)) build.module(specifier, () => ({ exports: { ...mod }, loader: "object" }));
    },
  });
}

/** Registers every built-in driver, then every plugin file of the home. Never throws for a bad plugin. */
export async function loadPlugins(home: string, registry = new PluginRegistry()): Promise<PluginRegistry> {
  registerSdkModule();
  for (const [name, cls] of Object.entries(BUILTIN_DRIVERS)) {
    registry.set({ status: "loaded", ...validatePluginModule(name, null, name, { default: cls }) });
  }
  for (const { name, file } of await discoverPlugins(pluginsDir(home))) {
    const record = await loadPluginFile(home, name, file, importCurrent);
    if (record) registry.set(record);
  }
  return registry;
}

/**
 * Imports a plugin file as the registry knows it: by its own path the first time, so the files that
 * import each other share one module (and one class) as Bun caches it; its latest bundle if it was
 * reloaded in this process since.
 */
async function importCurrent(file: string): Promise<unknown> {
  const specifier = currentModuleOf(file);
  const source = specifier === file ? await Bun.file(file).text() : undefined;
  const mod = await import(specifier);
  if (source !== undefined) noteOriginalLoad(file, source);
  return mod;
}

/**
 * Re-loads one plugin after its file changed, given its name or its file, with every plugin file that
 * imports it (see reloadPluginFiles). Returns its new record; undefined when the file was deleted or
 * is a helper (no plugin class), and then it is no longer in the registry.
 */
export async function reloadPlugin(home: string, nameOrFile: string, registry: PluginRegistry): Promise<PluginRecord | undefined> {
  registerSdkModule();
  const target = await locate(pluginsDir(home), nameOrFile, registry);
  if (!target) return undefined;
  await reloadPluginFiles(home, [target.file], registry);
  return registry.get(target.name);
}

export interface PluginChange {
  name: string;
  /** The new record; undefined when the plugin is gone (deleted, or now a helper). */
  record: PluginRecord | undefined;
}

/**
 * Re-loads changed plugin files. Each is re-bundled to a fresh module (a `?v=N` re-import keeps its
 * dependencies stale, DESIGN §5), with its imports of other plugin files pointing at their current
 * modules (plugins/current-modules.ts), so a reloaded puller creates the very passenger class the
 * registry holds. Then every file that imports a changed one, directly or not, is re-bundled after it,
 * so a new passenger class reaches its pullers, processors and pushers. A file the changed ones import
 * that was edited but not reloaded yet is reloaded with them. A file that fails to load is recorded as
 * broken and its previous module stays current: the files importing it keep working with it and are
 * not reloaded for its sake. Returns the plugins whose record changed, in reload order.
 */
export async function reloadPluginFiles(home: string, files: string[], registry: PluginRegistry): Promise<PluginChange[]> {
  registerSdkModule();
  const dir = pluginsDir(home);
  const targets = files.map((f) => resolve(dir, f)).filter((f) => pluginNameOf(dir, f) !== undefined);
  if (targets.length === 0) return [];
  const graph = await scanImportGraph(dir, targets.filter((f) => existsSync(f)));
  const seeds = new Set(targets);
  for (const dep of dependenciesOf(graph, targets)) if (await isStale(dep)) seeds.add(dep);
  // Which file holds a name: `x.ts` wins over `x.js` (discover.ts); the other is left alone.
  const holders = new Map((await discoverPlugins(dir)).map((p) => [p.name, p.file]));
  const renewed = new Set<string>(); // files whose module changed (or that are gone) in this reload
  const changes: PluginChange[] = [];
  const apply = (name: string, record: PluginRecord | undefined) => {
    if (!record && !registry.get(name)) return; // a helper stays a helper: nothing to say
    if (record) registry.set(record);
    else registry.delete(name);
    changes.push({ name, record });
  };

  for (const group of reloadOrder(graph, [...seeds, ...importersOf(graph, seeds)])) {
    const due = group.some((f) => seeds.has(f) || [...(graph.get(f) ?? [])].some((d) => renewed.has(d)));
    if (!due) continue;
    const present = group.filter((f) => existsSync(f));
    for (const gone of group.filter((f) => !present.includes(f))) {
      forgetModule(gone);
      renewed.add(gone);
      const name = pluginNameOf(dir, gone)!;
      if (!holders.has(name)) apply(name, undefined);
    }
    if (present.length > 0) await reloadGroup(home, present, holders, renewed, apply);
  }
  return changes;
}

/** Bundles one group (a file, or a cycle) and loads each member from it; a bundle error breaks them all. */
async function reloadGroup(
  home: string,
  group: string[],
  holders: Map<string, string>,
  renewed: Set<string>,
  apply: (name: string, record: PluginRecord | undefined) => void,
): Promise<void> {
  const dir = pluginsDir(home);
  let bundled: BundledGroup | undefined;
  let bundleError: unknown;
  try {
    bundled = await bundleGroup(dir, group);
  } catch (e) {
    bundleError = e;
  }
  for (const file of group) {
    const name = pluginNameOf(dir, file)!;
    const record = await loadPluginFile(home, name, file, async () => {
      if (!bundled) throw errorsAbout(file, bundleError);
      const mod = await import(bundled.modules.get(file)!);
      bundled.adopt(file);
      renewed.add(file);
      return mod;
    });
    if (holders.get(name) === file) apply(name, record);
  }
  bundled?.finish();
}

/** The build messages about `file` when there are some (its own line), else all of them. */
function errorsAbout(file: string, e: unknown): unknown {
  const errors = (e as { errors?: { position?: { file?: string } | null }[] } | null)?.errors;
  if (!Array.isArray(errors)) return e;
  const own = errors.filter((m) => m.position?.file === file);
  return own.length > 0 ? new AggregateError(own, (e as Error).message) : e;
}

/** Name and file of a plugin given either; undefined when it is not a plugin file at all. */
async function locate(dir: string, nameOrFile: string, registry: PluginRegistry): Promise<{ name: string; file: string } | undefined> {
  if (isAbsolute(nameOrFile) || /\.(ts|js)$/.test(nameOrFile)) {
    const file = resolve(dir, nameOrFile);
    const name = pluginNameOf(dir, file);
    return name === undefined ? undefined : { name, file };
  }
  const known = registry.get(nameOrFile);
  if (known?.file) return { name: nameOrFile, file: known.file };
  for (const ext of [".ts", ".js"]) {
    const file = join(dir, `${nameOrFile}${ext}`);
    if (await Bun.file(file).exists()) return { name: nameOrFile, file };
  }
  return known ? undefined : { name: nameOrFile, file: join(dir, `${nameOrFile}.ts`) };
}

async function loadPluginFile(
  home: string,
  name: string,
  file: string,
  importer: (file: string) => Promise<unknown>,
): Promise<PluginRecord | undefined> {
  const display = relative(home, file).split("\\").join("/");
  try {
    checkPluginName(name, display);
    await checkHostImports(file, display);
    let mod: unknown;
    try {
      mod = await importer(file);
    } catch (e) {
      throw loadFailure(file, display, e);
    }
    if (isHelperModule(mod)) return undefined;
    return { status: "loaded", ...validatePluginModule(name, file, display, mod) };
  } catch (e) {
    const error = e instanceof DatabusError ? e : loadFailure(file, display, e);
    return { status: "broken", name, file, error };
  }
}

const transpiler = new Bun.Transpiler({ loader: "ts" });

/**
 * Refuses an import of "databus/<something>" that the host does not provide, naming the ones it
 * does: Bun itself would only say it "cannot find package 'databus'". A file that cannot be read
 * or scanned is left to the import, which reports it with its line.
 */
async function checkHostImports(file: string, display: string): Promise<void> {
  let source: string;
  let imports: { path: string }[];
  try {
    source = await Bun.file(file).text();
    imports = transpiler.scanImports(source);
  } catch {
    return;
  }
  const unknown = imports.find((i) => i.path.startsWith("databus/") && !HOST_MODULES.includes(i.path));
  if (!unknown) return;
  const line = source.slice(0, Math.max(0, source.indexOf(unknown.path))).split("\n").length;
  const reason = `it imports "${unknown.path}", which Databus does not provide; plugins may import ${HOST_MODULES.map((m) => `"${m}"`).join(", ")}`;
  throw new DatabusError("DBUS_PLG_LOAD_FAILED", { file: display, reason, line });
}

/**
 * A file with no default export and no SDK class among its exports is a helper the plugins
 * import (constants, functions), not a plugin: it is neither loaded nor reported.
 */
function isHelperModule(mod: unknown): boolean {
  if (typeof mod !== "object" || mod === null || "default" in mod) return false;
  return !Object.values(mod).some((v) => kindOfClass(v) !== undefined);
}
