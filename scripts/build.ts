/**
 * `npm run build`: compiles src/main.ts, with the embedded public/ assets, seed data and SDK
 * typings, into one executable dist/databus (flags of DESIGN §9).
 */
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";

const outfile = process.argv[2] ?? "dist/databus";
const args = [
  // The json store's file writer and the sqlite store's checkpoints run in worker threads; their modules must be entrypoints to be embedded
  // (they land at /$bunfs/root/storage/…, see src/storage/json/materialiser.ts and src/storage/sqlite/checkpointer.ts).
  "build", "src/main.ts", "src/storage/json/materialise-worker.ts", "src/storage/sqlite/checkpoint-worker.ts",
  "--compile", "--minify", "--bytecode", "--format=esm", "--keep-names", "--no-compile-autoload-bunfig",
  "--outfile", outfile,
];
const started = performance.now();
const result = spawnSync(process.execPath, args, { stdio: "inherit" });
if (result.status !== 0) {
  console.error(`The build failed (bun build exited with ${result.status}).`);
  process.exit(result.status ?? 1);
}
const mb = (statSync(outfile).size / 1024 / 1024).toFixed(1);
console.log(`Built ${outfile} (${mb} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
