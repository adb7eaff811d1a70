/**
 * The module the registry currently uses for each plugin file, and the bundler that makes new ones.
 *
 * Why: a class is only `instanceof` itself. The first load imports plugin files by path, so a puller
 * and the registry share one `./order` module. A reload must import a fresh module (DESIGN §5), but a
 * bundle that inlined its own copy of `./order` would carry a second `Order` class, and every pull
 * would fail the dispatcher's passenger check. So a changed file is bundled alone, and each of its
 * imports of another plugin file is left external, pointing at that file's current module: the
 * original path until the file is reloaded, then its latest bundle. Its importers are re-bundled
 * after it (plugins/graph.ts), so they see the new module too.
 *
 * The state is per process, like the module registry it mirrors.
 */
import { rmSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { pluginNameOf } from "./discover";
import { resolveLocalImport } from "./graph";

/** One bundler run: its folder is removed once none of its modules is current any more. */
interface Build {
  dir: string;
  serving: number;
}

interface Current {
  /** What `import()` is given: the plugin file itself, or a bundle in a build folder. */
  module: string;
  /** Hash of the source the module was made from, to tell an edit the watcher has not reloaded yet. */
  hash: number | bigint;
  build?: Build;
}

const current = new Map<string, Current>();
let buildsRoot: string | undefined;
let buildCount = 0;

/** The specifier to import `file` as: its latest bundle, or the file itself if never reloaded. */
export function currentModuleOf(file: string): string {
  return current.get(file)?.module ?? file;
}

const hashOf = (source: string): number | bigint => Bun.hash(source);

/** Records that `file` was imported by its own path, from this source (the first load). */
export function noteOriginalLoad(file: string, source: string): void {
  if (current.has(file)) return; // it has a newer bundle; that one stays current
  current.set(file, { module: file, hash: hashOf(source) });
}

/** Whether the file on disk differs from what its current module was made from (an edit not yet reloaded). */
export async function isStale(file: string): Promise<boolean> {
  const known = current.get(file);
  if (!known) return false;
  try {
    return hashOf(await readFile(file, "utf8")) !== known.hash;
  } catch {
    return true; // deleted
  }
}

/** Forgets a deleted file: a file of that name created later starts from its own path again. */
export function forgetModule(file: string): void {
  release(current.get(file));
  current.delete(file);
}

/** A group bundled together: each member's bundle, ready to import; then `adopt` the ones that loaded. */
export interface BundledGroup {
  modules: Map<string, string>;
  adopt(file: string): void;
  /** Removes the bundles if none was adopted. */
  finish(): void;
}

/**
 * Bundles `members` (one file, or the files of an import cycle) into fresh modules. Host modules
 * ("databus", "databus/*") stay external; imports of other plugin files point at their current module;
 * anything else they import (a JSON file, a file outside plugins/) is bundled in as before.
 * Throws an AggregateError of Bun's build messages when the bundle cannot be made.
 */
export async function bundleGroup(pluginsDir: string, members: string[]): Promise<BundledGroup> {
  buildsRoot ??= await createBuildsRoot();
  const build: Build = { dir: join(buildsRoot, String(++buildCount)), serving: 0 };
  const sources = new Map<string, string>();
  for (const file of members) sources.set(file, await readFile(file, "utf8"));
  const inGroup = new Set(members);
  const result = await Bun.build({
    entrypoints: members,
    root: pluginsDir,
    outdir: build.dir,
    // Bun writes source map paths relative to the build folder, so code must sit at its top for stack
    // traces to name the plugin's file and line: a single file is written there; the members of a
    // cycle share one chunk there (each sees the others' new classes) and their entries only re-export it.
    naming: { entry: members.length > 1 ? "[dir]/[name].[ext]" : "[name].[ext]", chunk: "chunk-[hash].[ext]" },
    splitting: members.length > 1,
    external: ["databus", "databus/*"],
    target: "bun",
    format: "esm",
    throw: false,
    // Inline source maps make stack traces (and our line numbers) point at the plugin's own lines.
    sourcemap: "inline",
    plugins: [
      {
        name: "databus-current-modules",
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const file = resolveLocalImport(args.path, args.importer);
            if (!file || inGroup.has(file) || pluginNameOf(pluginsDir, file) === undefined) return undefined;
            return { path: currentModuleOf(file), external: true };
          });
        },
      },
    ],
  });
  if (!result.success) {
    rmSync(build.dir, { recursive: true, force: true });
    throw new AggregateError(result.logs, "the plugin could not be bundled");
  }
  const outputOf = (f: string) => (members.length > 1 ? relative(pluginsDir, f) : basename(f)).replace(/\.(ts|js)$/, ".js");
  const modules = new Map(members.map((f) => [f, join(build.dir, outputOf(f))]));
  return {
    modules,
    adopt(file) {
      release(current.get(file));
      build.serving++;
      current.set(file, { module: modules.get(file)!, hash: hashOf(sources.get(file)!), build });
    },
    finish() {
      if (build.serving === 0) rmSync(build.dir, { recursive: true, force: true });
    },
  };
}

/** A module stops being current: its build folder goes when it serves nothing any more. */
function release(old: Current | undefined): void {
  if (!old?.build) return;
  old.build.serving--;
  // The loaded module stays in memory; only later imports of it would need the file, and a
  // module that is not current is never imported again (bundles point at current modules).
  if (old.build.serving === 0) rmSync(old.build.dir, { recursive: true, force: true });
}

/** One folder per process for the bundles, removed when the process exits. */
async function createBuildsRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "databus-plugins-"));
  process.once("exit", () => rmSync(root, { recursive: true, force: true }));
  return root;
}
