/**
 * `npm run bench`: runs every benchmark and prints a table of their figures (each bench prints its
 * figure last). Figures, never assertions: compare them with BENCHMARKS.md.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const BENCHES: Array<{ name: string; args: string[] }> = [
  { name: "throughput", args: ["2000"] },
  { name: "console", args: [] },
];

const rows: string[] = [];
for (const b of BENCHES) {
  console.log(`── ${b.name}`);
  const r = spawnSync(process.execPath, [join(import.meta.dir, `${b.name}.ts`), ...b.args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  process.stdout.write(r.stdout);
  const last = r.stdout.trim().split("\n").at(-1) ?? "(no output)";
  rows.push(`${b.name.padEnd(12)} ${r.status === 0 ? last : `failed (exit ${r.status})`}`);
}
console.log(`\n${"bench".padEnd(12)} figure\n${rows.join("\n")}`);
