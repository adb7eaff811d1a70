/**
 * Which plugin files import which: the graph a reload walks. A changed file is reloaded with every
 * file that imports it, directly or through others, dependencies first, and files that import each
 * other (a cycle) are reloaded together. Reads and scans files; never imports them.
 */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { discoverPlugins, pluginNameOf } from "./discover";

/** file → the plugin files it imports by relative path (absolute paths). */
export type ImportGraph = Map<string, Set<string>>;

const transpilers = { ts: new Bun.Transpiler({ loader: "ts" }), js: new Bun.Transpiler({ loader: "js" }) };

/**
 * The files a relative specifier may mean, in the order the loader tries them: as written, then
 * with `.ts` / `.js`, then as a folder's index; `./x.js` may also mean `./x.ts` (TypeScript's ESM style).
 * Resolved by hand rather than with `Bun.resolveSync`, whose directory cache can miss a file
 * created while Databus runs.
 */
export function importCandidates(specifier: string, fromFile: string): string[] {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = /\.(ts|js)$/.test(base) ? [base] : [];
  if (base.endsWith(".js")) candidates.push(base.replace(/\.js$/, ".ts"));
  candidates.push(`${base}.ts`, `${base}.js`, resolve(base, "index.ts"), resolve(base, "index.js"));
  return candidates;
}

/** The file a relative specifier resolves to, or undefined when none of its candidates exists. */
export function resolveLocalImport(specifier: string, fromFile: string): string | undefined {
  return importCandidates(specifier, fromFile).find((f) => existsSync(f) && statSync(f).isFile());
}

const isRelative = (specifier: string): boolean => specifier.startsWith("./") || specifier.startsWith("../");

/**
 * The import graph of every plugin file under `dir` (helpers included: a passenger type may be
 * reached through one). An import of a file that is gone keeps every candidate as an edge, so
 * the files that imported a deleted file are still found. A file that cannot be read or scanned
 * (a syntax error) has no edges: it is reported when it is loaded itself.
 */
export async function scanImportGraph(dir: string, extraFiles: Iterable<string> = []): Promise<ImportGraph> {
  const files = new Set([...(await discoverPlugins(dir)).map((p) => p.file), ...extraFiles]);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const edges = new Set<string>();
    graph.set(file, edges);
    let imports: { path: string }[];
    try {
      imports = transpilers[file.endsWith(".js") ? "js" : "ts"].scanImports(await readFile(file, "utf8"));
    } catch {
      continue; // gone or unparsable: see above
    }
    for (const { path } of imports) {
      if (!isRelative(path)) continue;
      const found = resolveLocalImport(path, file);
      for (const dep of found ? [found] : importCandidates(path, file)) {
        if (dep !== file && pluginNameOf(dir, dep) !== undefined) edges.add(dep);
      }
    }
  }
  return graph;
}

/** The files `files` import, directly or through others (not the files themselves, unless in a cycle). */
export function dependenciesOf(graph: ImportGraph, files: Iterable<string>): Set<string> {
  return walk(files, (f) => graph.get(f) ?? []);
}

/** The files that import one of `files`, directly or through others. */
export function importersOf(graph: ImportGraph, files: Iterable<string>): Set<string> {
  const reverse = new Map<string, string[]>();
  for (const [file, deps] of graph) for (const dep of deps) reverse.set(dep, [...(reverse.get(dep) ?? []), file]);
  return walk(files, (f) => reverse.get(f) ?? []);
}

function walk(start: Iterable<string>, next: (file: string) => Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const todo = [...start];
  while (todo.length > 0) {
    for (const n of next(todo.pop()!)) {
      if (seen.has(n)) continue;
      seen.add(n);
      todo.push(n);
    }
  }
  return seen;
}

/**
 * `files` in groups to reload one after another: each group is one file, or the files of a cycle
 * (they must be bundled together, or each would hold the other's previous version), and every group
 * comes after the groups it imports. Tarjan's algorithm, which emits groups in exactly that order.
 * Files outside `files` are left out: they keep the module they have.
 */
export function reloadOrder(graph: ImportGraph, files: Iterable<string>): string[][] {
  const wanted = new Set(files);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];

  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const dep of graph.get(file) ?? []) {
      if (!wanted.has(dep)) continue;
      if (!index.has(dep)) {
        visit(dep);
        low.set(file, Math.min(low.get(file)!, low.get(dep)!));
      } else if (onStack.has(dep)) {
        low.set(file, Math.min(low.get(file)!, index.get(dep)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    groups.push(group.sort());
  };

  for (const file of [...wanted].sort()) if (!index.has(file)) visit(file);
  return groups;
}
