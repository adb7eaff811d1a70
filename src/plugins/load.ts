/**
 * Loads plugins into the registry: the built-ins, then every file under `<home>/plugins/`.
 * Registers the virtual "databus" module first so plugins get the host's own SDK classes.
 * A broken plugin is recorded as broken and never stops the others.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { DatabusError } from "../core/errors";
import * as sdk from "../sdk/index";
import { BUILTIN_DRIVERS } from "./builtins";
import { discoverPlugins, pluginNameOf, pluginsDir } from "./discover";
import { kindOfClass, PluginRegistry, type PluginRecord } from "./registry";
import { checkPluginName, loadFailure, validatePluginModule } from "./validate";

let sdkModuleRegistered = false;

/**
 * Makes `import … from "databus"` resolve to this process's SDK, so `instanceof` against the base
 * classes works for plugins (also inside a `bun build --compile` binary). Once per process.
 */
export function registerSdkModule(): void {
  if (sdkModuleRegistered) return;
  sdkModuleRegistered = true;
  Bun.plugin({
    name: "databus-sdk",
    setup(build) {
      build.module("databus", () => ({ exports: { ...sdk }, loader: "object" }));
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
    const record = await loadPluginFile(home, name, file, (f) => import(f));
    if (record) registry.set(record);
  }
  return registry;
}

/**
 * Re-loads one plugin after its file changed, given its name or its file. The file is re-bundled
 * (its own imports included, "databus" left external) to a fresh temp file and that is imported,
 * because re-importing the same path with `?v=N` keeps its dependencies stale (DESIGN §5).
 * A deleted file (or one that became a helper) is removed from the registry; then it returns undefined.
 */
export async function reloadPlugin(home: string, nameOrFile: string, registry: PluginRegistry): Promise<PluginRecord | undefined> {
  registerSdkModule();
  const dir = pluginsDir(home);
  const target = await locate(dir, nameOrFile, registry);
  if (!target) return undefined;
  if (!(await Bun.file(target.file).exists())) {
    registry.delete(target.name);
    return undefined;
  }
  const record = await loadPluginFile(home, target.name, target.file, (f) => importBundled(f));
  if (record) registry.set(record);
  else registry.delete(target.name);
  return record;
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

/**
 * A file with no default export and no SDK class among its exports is a helper the plugins
 * import (constants, functions), not a plugin: it is neither loaded nor reported.
 */
function isHelperModule(mod: unknown): boolean {
  if (typeof mod !== "object" || mod === null || "default" in mod) return false;
  return !Object.values(mod).some((v) => kindOfClass(v) !== undefined);
}

/** Bundles `file` with its relative imports into a temp module and imports that. */
async function importBundled(file: string): Promise<unknown> {
  const out = await mkdtemp(join(tmpdir(), "databus-plugin-"));
  try {
    const result = await Bun.build({
      entrypoints: [file], external: ["databus"], target: "bun", format: "esm", outdir: out, throw: false,
      // Inline source maps make stack traces (and our line numbers) point at the plugin's own lines.
      sourcemap: "inline",
    });
    if (!result.success) throw new AggregateError(result.logs, "the plugin could not be bundled");
    const entry = result.outputs.find((o) => o.kind === "entry-point");
    if (!entry) throw new Error("the bundler produced no output");
    return await import(entry.path);
  } finally {
    // The imported module stays in memory; its file is no longer needed.
    await rm(out, { recursive: true, force: true });
  }
}
