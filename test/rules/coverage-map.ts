/** Which src/ modules have logic, and which lack a unit test that mirrors their path. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO, listSourceFiles, readSource } from "./source-files";

/** Comments removed, so a TSDoc example does not count as code. */
const withoutComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");

/**
 * Logic means something runs: a function, class, variable or enum. Pure re-export files and files
 * of interfaces and type aliases have nothing to test.
 */
export function hasLogic(text: string): boolean {
  const code = withoutComments(text)
    .replace(/^\s*(import|export)\b[^;]*?\bfrom\s*["'][^"']+["'][^;\n]*;?/gm, "")
    .replace(/^\s*import\s*["'][^"']+["'];?/gm, "");
  return /\b(function|class|const|let|var|enum)\b/.test(code);
}

/** The unit test paths that count for a module: `.test.ts`, or `.test.tsx` for a view. */
export const testPathsFor = (file: string): string[] => {
  const stem = file.replace(/\.tsx?$/, "");
  return [`test/unit/${stem}.test.ts`, `test/unit/${stem}.test.tsx`];
};

/** `src/x/y.ts reason words` lines; `#` starts a comment. A line without a reason is an error. */
export function parseAllowlist(text: string): { entries: Map<string, string>; problems: string[] } {
  const entries = new Map<string, string>();
  const problems: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (!line) return;
    const [path, ...why] = line.split(/\s+/);
    if (why.length === 0) problems.push(`untested-modules.txt:${i + 1}: ${path} has no reason`);
    entries.set(path!, why.join(" "));
  });
  return { entries, problems };
}

export function modulesWithoutTests(): string[] {
  return listSourceFiles()
    .filter((f) => !f.endsWith(".d.ts") && hasLogic(readSource(f)))
    .filter((f) => !testPathsFor(f).some((t) => existsSync(join(REPO, t))))
    .map((f) => `src/${f}`);
}
