/** Lists and reads the files under src/ for the repo rule tests (read-only; paths are relative to src/). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(import.meta.dir, "../..");
export const SRC = join(REPO, "src");

/** Every .ts and .tsx file under src/, as `core/errors.ts`, sorted. */
export function listSourceFiles(): string[] {
  return [...new Bun.Glob("**/*.{ts,tsx}").scanSync({ cwd: SRC })].map((p) => p.split("\\").join("/")).sort();
}

export const readSource = (file: string): string => readFileSync(join(SRC, file), "utf8");
