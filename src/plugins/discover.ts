/**
 * Finds plugin files under `<home>/plugins/` and names them: the path under plugins/ without the
 * extension, with `/`. Reads folders only; never imports anything.
 */
import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export interface PluginFile {
  /** `acme/invoice_puller` */
  name: string;
  /** Absolute path. */
  file: string;
}

/** Folders under plugins/ that hold no plugins: typings, installed packages, dotfolders. */
const SKIPPED_DIRS = new Set(["types", "node_modules"]);

/** The plugins folder of a home. */
export const pluginsDir = (home: string): string => join(home, "plugins");

/** Whether a file name is a plugin: `.ts`/`.js`, not `.d.ts`, not a dotfile. */
export function isPluginFileName(base: string): boolean {
  if (base.startsWith(".")) return false;
  if (base.endsWith(".d.ts")) return false;
  return base.endsWith(".ts") || base.endsWith(".js");
}

/**
 * The plugin name of a file, or undefined when the file is not a plugin (wrong extension, or in a
 * skipped folder such as `types/`, `node_modules/` or a dotfolder).
 */
export function pluginNameOf(dir: string, file: string): string | undefined {
  const rel = relative(dir, file);
  if (rel.startsWith("..") || rel === "") return undefined;
  const parts = rel.split(sep);
  const base = parts[parts.length - 1]!;
  if (!isPluginFileName(base)) return undefined;
  const folders = parts.slice(0, -1);
  if (folders.length > 0 && SKIPPED_DIRS.has(folders[0]!)) return undefined;
  if (folders.some((f) => f.startsWith(".") || f === "node_modules")) return undefined;
  return parts.join("/").replace(/\.(ts|js)$/, "");
}

/** Every plugin file under `dir`, sorted by name. A missing folder holds no plugins. */
export async function discoverPlugins(dir: string): Promise<PluginFile[]> {
  const found: PluginFile[] = [];
  await walk(dir, dir, found);
  // A name can only be taken once: `x.ts` wins over `x.js`, so the result does not depend on readdir order.
  found.sort((a, b) => a.name.localeCompare(b.name) || (a.file.endsWith(".ts") ? -1 : 1));
  return found.filter((p, i) => i === 0 || found[i - 1]!.name !== p.name);
}

/** Walks by hand so skipped folders (node_modules can be huge) are never entered. */
async function walk(root: string, dir: string, found: PluginFile[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      if (dir === root && SKIPPED_DIRS.has(entry.name)) continue;
      await walk(root, path, found);
    } else if (entry.isFile()) {
      const name = pluginNameOf(root, path);
      if (name !== undefined) found.push({ name, file: path });
    }
  }
}
