/**
 * Who may import what (STYLE.md "Who may import what"): scans every import and export-from under
 * src/, static and dynamic, and lists each one that crosses a room boundary the table forbids.
 */
import { describe, expect, it } from "bun:test";
import { existsSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { SRC, listSourceFiles, readSource } from "./source-files";

/**
 * The table. A file belongs to the first room whose pattern matches its path under src/; `$room`
 * stands for the matched folder itself. A target ending in `/` is a folder, anything else one file.
 * `typeOnly` targets may be imported only with `import type`.
 */
interface Rule {
  room: RegExp;
  may: string[] | "anything";
  typeOnly?: string[];
  /** `any`: npm packages, node:* and bun:* are fine; `none`: no package at all. */
  packages: "any" | "none";
  why: string;
}

export const RULES: Rule[] = [
  // The entry point wires everything together.
  { room: /^main\.tsx?$/, may: "anything", packages: "any", why: "main.ts may import anything" },
  // Commands assemble the whole program.
  { room: /^cli\//, may: "anything", packages: "any", why: "cli/ may import anything" },
  // The domain: pure, no I/O, so nothing outside core and no package (no node:*, no bun:*).
  { room: /^core\//, may: ["$room"], packages: "none", why: "core/ imports only core/" },
  // The public plugin API re-exports core types; it must never expose storage, web or the dispatcher.
  { room: /^sdk\//, may: ["$room", "core/"], packages: "any", why: "sdk/ imports only core/ and itself" },
  // The contract lives in the SDK so engine plugins extend the same class; this file re-exports it.
  { room: /^storage\/database\.ts$/, may: ["core/", "sdk/database.ts"], packages: "any", why: "storage/database.ts re-exports sdk/database.ts" },
  // Export/import of a client is engine-agnostic: it works through the contract only, like an engine.
  {
    room: /^storage\/transfer\//,
    may: ["$room", "core/", "storage/database.ts"],
    packages: "any",
    why: "storage/transfer/ imports only core/, storage/database.ts and itself (never an engine)",
  },
  // An engine sees the contract and core, and its own folder; never another engine, web or the dispatcher.
  // storage/config-users.ts is the users-in-config-text logic shared by the relational engines (pure but for argon2).
  { room: /^storage\/[^/]+\//, may: ["$room", "core/", "storage/database.ts", "storage/config-users.ts"], packages: "any", why: "an engine imports only core/, storage/database.ts, storage/config-users.ts and its own folder" },
  // Other storage files (choosing an engine) may know every engine, still nothing above storage.
  { room: /^storage\//, may: ["storage/", "core/", "sdk/database.ts"], packages: "any", why: "storage/ imports only storage/ and core/" },
  // The built-in drivers are imported statically here so `bun build --compile` embeds them.
  {
    room: /^plugins\/builtins\.ts$/,
    may: ["plugins/", "core/", "sdk/", "drivers/"],
    packages: "any",
    why: "plugins/builtins.ts imports only drivers/, core/, sdk/ and plugins/",
  },
  // Plugin loading and checking know the SDK base classes, never engines or web.
  { room: /^plugins\//, may: ["$room", "core/", "sdk/"], packages: "any", why: "plugins/ imports only core/, sdk/ and itself" },
  // Built-in drivers are written like user plugins: the SDK (or "databus") and their own folder.
  // drivers/shared/ holds what several driver areas need (reading options), so it is not copied into each.
  { room: /^drivers\/[^/]+\//, may: ["$room", "sdk/", "drivers/shared/"], packages: "any", why: "drivers/ import only sdk/, drivers/shared/ (and their own folder)" },
  { room: /^drivers\//, may: ["sdk/"], packages: "any", why: "drivers/ import only sdk/" },
  // The dispatcher runs plugins through the registry and stores through the contract; sdk for base classes.
  {
    room: /^dispatcher\//,
    may: ["$room", "core/", "storage/database.ts", "plugins/registry.ts", "sdk/"],
    packages: "any",
    why: "dispatcher/ imports core/, storage/database.ts, plugins/registry.ts, sdk/ and itself",
  },
  // The console talks to the dispatcher's public API and the contract; never engines or plugins/load.ts.
  {
    room: /^web\//,
    // ../public/ holds the static assets (favicon, CSS) embedded as text imports.
    may: ["$room", "core/", "storage/database.ts", "storage/transfer/", "dispatcher/api.ts", "settings/schema.ts", "../public/"],
    typeOnly: ["sdk/"],
    packages: "any",
    why: "web/ imports core/, storage/database.ts, storage/transfer/, dispatcher/api.ts, settings/schema.ts, sdk types and itself",
  },
  // Observers hear the dispatcher's events through its public API and keep incident state through the contract.
  {
    room: /^observers\//,
    may: ["$room", "core/", "storage/database.ts", "dispatcher/api.ts"],
    packages: "any",
    why: "observers/ imports core/, storage/database.ts, dispatcher/api.ts and itself",
  },
  // Settings are read before anything else exists.
  { room: /^settings\//, may: ["$room", "core/"], packages: "any", why: "settings/ imports only core/ and itself" },
];

export interface ImportRef {
  specifier: string;
  line: number;
  typeOnly: boolean;
}

const STATIC = /^[ \t]*(?:import|export)\s+(type\s+)?([\w$*{}\s,]*?)\s*from\s*["']([^"'\n]+)["']/gm;
const SIDE_EFFECT = /^[ \t]*import\s*["']([^"'\n]+)["']/gm;
const DYNAMIC = /\b(?:import|require)\s*\(\s*["'`]([^"'`$\n]+)["'`]/g;

const lineAt = (text: string, index: number): number => text.slice(0, index).split("\n").length;

/** `import { type A, type B }` is as type-only as `import type { A, B }`. */
function isTypeOnlyClause(typeKeyword: string | undefined, clause: string): boolean {
  if (typeKeyword) return true;
  const braces = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!braces) return false;
  const names = braces[1]!.split(",").map((s) => s.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => n.startsWith("type "));
}

/** Every module a file's text depends on. Comment lines (`//`, ` * `) are not code. */
export function scanImports(text: string): ImportRef[] {
  const refs: ImportRef[] = [];
  for (const m of text.matchAll(STATIC))
    refs.push({ specifier: m[3]!, line: lineAt(text, m.index!), typeOnly: isTypeOnlyClause(m[1], m[2]!) });
  for (const m of text.matchAll(SIDE_EFFECT)) refs.push({ specifier: m[1]!, line: lineAt(text, m.index!), typeOnly: false });
  for (const m of text.matchAll(DYNAMIC)) {
    const lineStart = text.lastIndexOf("\n", m.index!) + 1;
    const before = text.slice(lineStart, m.index!);
    if (/^\s*(\*|\/\/|\/\*)/.test(before) || before.includes("//")) continue;
    refs.push({ specifier: m[1]!, line: lineAt(text, m.index!), typeOnly: false });
  }
  return refs.sort((a, b) => a.line - b.line);
}

/** A relative specifier as a file under src/ (`sdk/index.ts`); `databus` is the SDK; else null (a package). */
export function resolveTarget(file: string, specifier: string, exists: (p: string) => boolean = (p) => existsSync(join(SRC, p))): string | null {
  if (specifier === "databus") return "sdk/index.ts";
  if (!specifier.startsWith(".")) return null;
  const base = posix.normalize(posix.join(dirname(file), specifier)).replace(/\.(js|jsx)$/, "");
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`])
    if (/\.tsx?$/.test(candidate) && exists(candidate)) return candidate;
  return /\.[a-z]+$/.test(base) ? base : `${base}.ts`;
}

const covers = (entry: string, target: string): boolean => (entry.endsWith("/") ? target.startsWith(entry) : target === entry);

/** Violations in one file, as `file:line: imports X — rule`. */
export function checkFile(file: string, text: string, exists?: (p: string) => boolean): string[] {
  const rule = RULES.find((r) => r.room.test(file));
  if (!rule) return [`${file}:1: no rule for this room — add one to RULES in test/rules/imports.test.ts`];
  if (rule.may === "anything") return [];
  const room = rule.room.exec(file)![0];
  const may = rule.may.map((e) => (e === "$room" ? room : e));
  const out: string[] = [];
  for (const ref of scanImports(text)) {
    const target = resolveTarget(file, ref.specifier, exists);
    const where = `${file}:${ref.line}: imports ${ref.specifier}`;
    if (target === null) {
      if (rule.packages === "none") out.push(`${where} — ${rule.why} (no packages)`);
      continue;
    }
    if (may.some((e) => covers(e, target))) continue;
    if (ref.typeOnly && rule.typeOnly?.some((e) => covers(e, target))) continue;
    const typeNote = rule.typeOnly?.some((e) => covers(e, target)) ? " (types only: use import type)" : "";
    out.push(`${where} — ${rule.why}${typeNote}`);
  }
  return out;
}

describe("import rules", () => {
  describe("when scanning src/", () => {
    const files = listSourceFiles();

    it("finds the source files", () => {
      expect(files).toContain("core/errors.ts");
    });

    it("finds no import that crosses a forbidden room boundary", () => {
      const violations = files.flatMap((f) => checkFile(f, readSource(f)));
      expect(violations).toEqual([]);
    });
  });

  describe("when checking the scanner on made-up files", () => {
    const all = () => true;

    it("reads static, multi-line, re-export, side-effect, dynamic and require forms", () => {
      const text = [
        'import { a } from "./a";',
        "import {",
        "  b,",
        '} from "./b";',
        'export * from "./c";',
        'export { d } from "./d";',
        'import "./e";',
        'const f = await import("./f");',
        'const g = require("./g");',
      ].join("\n");
      expect(scanImports(text).map((r) => `${r.line}:${r.specifier}`)).toEqual(["1:./a", "2:./b", "5:./c", "6:./d", "7:./e", "8:./f", "9:./g"]);
    });

    it("ignores imports inside comments and TSDoc examples", () => {
      const text = ['/**', ' * import { Puller } from "databus";', " * await import('../web/app');", " */", '// import x from "../web/app";', "const y = 1; // import('../web/z')"].join("\n");
      expect(scanImports(text)).toEqual([]);
    });

    it("tells type-only imports from value imports", () => {
      const refs = scanImports('import type { A } from "./a";\nimport { type B, type C } from "./b";\nimport { type D, E } from "./d";');
      expect(refs.map((r) => r.typeOnly)).toEqual([true, true, false]);
    });

    it("flags core importing another room, a node: module or any package", () => {
      const v = checkFile("core/x.ts", 'import { app } from "../web/app";\nimport { readFileSync } from "node:fs";\nimport { Database } from "bun:sqlite";\nimport { y } from "./y";', all);
      expect(v).toEqual([
        "core/x.ts:1: imports ../web/app — core/ imports only core/",
        "core/x.ts:2: imports node:fs — core/ imports only core/ (no packages)",
        "core/x.ts:3: imports bun:sqlite — core/ imports only core/ (no packages)",
      ]);
    });

    it("flags a dynamic import across a boundary", () => {
      expect(checkFile("dispatcher/run.ts", 'const m = await import("../storage/json/index");', all)).toHaveLength(1);
    });

    it("flags export/import (storage/transfer) importing an engine, and allows the contract and core", () => {
      const text = 'import { x } from "../json/queue";\nimport { Database } from "../database";\nimport { DatabusError } from "../../core/errors";\nimport { y } from "./format";';
      expect(checkFile("storage/transfer/import.ts", text, all)).toEqual([
        "storage/transfer/import.ts:1: imports ../json/queue — storage/transfer/ imports only core/, storage/database.ts and itself (never an engine)",
      ]);
    });

    it("flags an engine importing another engine or the dispatcher, and allows its own folder", () => {
      const text = 'import { a } from "../sqlite/queue";\nimport { b } from "../../dispatcher/api";\nimport { c } from "./layout";\nimport { Database } from "../database";';
      expect(checkFile("storage/json/queue.ts", text, all).map((v) => v.split(":")[1])).toEqual(["1", "2"]);
    });

    it("flags a driver importing core, and allows the sdk as a path or as databus", () => {
      const text = 'import { Puller } from "databus";\nimport { Pusher } from "../../sdk/pusher";\nimport { uuidv7 } from "../../core/ids";';
      expect(checkFile("drivers/demo/puller_1.ts", text, all).map((v) => v.split(":")[1])).toEqual(["3"]);
    });

    it("flags web importing an engine, plugins/load.ts or an sdk value, and allows sdk types", () => {
      const text = [
        'import { createJsonDatabase } from "../../storage/json/index";',
        'import { loadPlugins } from "../../plugins/load";',
        'import { Puller } from "../../sdk/puller";',
        'import type { Passenger } from "../../sdk/passenger";',
        'import type { DispatcherApi } from "../../dispatcher/api";',
      ].join("\n");
      const v = checkFile("web/pages/queue.ts", text, all);
      expect(v.map((x) => x.split(":")[1])).toEqual(["1", "2", "3"]);
      expect(v[2]).toContain("types only");
    });

    it("flags a file in a room that has no rule", () => {
      expect(checkFile("newroom/x.ts", "", all)[0]).toContain("no rule for this room");
    });

    it("resolves folders to their index file and the databus module to the sdk", () => {
      const exists = (p: string) => p === "sdk/index.ts";
      expect(resolveTarget("plugins/load.ts", "../sdk", exists)).toBe("sdk/index.ts");
      expect(resolveTarget("drivers/demo/a.ts", "databus")).toBe("sdk/index.ts");
      expect(resolveTarget("web/app.ts", "elysia")).toBeNull();
    });
  });
});
