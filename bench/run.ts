/**
 * `npm run bench`: runs every benchmark and prints a table of their figures (each bench prints its
 * figure last). Figures, never assertions: compare them with BENCHMARKS.md.
 * `npm run bench -- [--quick] [name …]`: --quick uses small sizes (a smoke run of a minute or two);
 * names pick benches (`npm run bench -- fsync throughput`). Exits non-zero when a bench failed (its
 * row in the table says so) or a name is not a bench's.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SCRATCH, scratchDir } from "./lib/scratch";

interface Bench {
  name: string;
  label?: string;
  args: string[];
  quick: string[];
}

// fsync first: the others print their figures as fractions of the disk limits it saves.
// console before startup: they share one filled home (bench/lib/fill.ts), filled by whichever runs first.
const BENCHES: Bench[] = [
  { name: "fsync", args: ["3"], quick: ["1"] },
  { name: "throughput", args: ["10000"], quick: ["1000"] },
  { name: "throughput", label: "throughput (10 KB)", args: ["10000", "--attachment-kb", "10"], quick: ["500", "--attachment-kb", "10"] },
  { name: "throughput", label: "throughput (sqlite)", args: ["10000", "--engine", "sqlite"], quick: ["500", "--engine", "sqlite"] },
  { name: "throughput", label: "throughput (sqlite, 8 clients)", args: ["10000", "--engine", "sqlite", "--clients", "8"], quick: ["800", "--engine", "sqlite", "--clients", "8"] },
  { name: "throughput", label: "throughput (8 clients)", args: ["10000", "--clients", "8"], quick: ["800", "--clients", "8"] },
  { name: "recovery", args: ["8"], quick: ["2"] },
  { name: "console", args: [], quick: ["20000", "5000", "50"] },
  { name: "startup", args: ["200000", "100000"], quick: ["20000", "5000", "--runs", "2", "--idle", "3"] },
  { name: "tenants", args: ["1000"], quick: ["100", "--tick", "10"] },
  { name: "memory", args: ["10000"], quick: ["2000", "--batch", "500"] },
];

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const only = argv.filter((a) => !a.startsWith("--"));
const unknown = only.filter((name) => !BENCHES.some((b) => b.name === name || b.label === name));
if (unknown.length > 0) {
  const names = [...new Set(BENCHES.flatMap((b) => [b.name, b.label ?? b.name]))];
  console.error(`no bench is called ${unknown.map((n) => `"${n}"`).join(", ")}; the benches: ${names.map((n) => `"${n}"`).join(", ")}`);
  process.exit(2);
}
const chosen = BENCHES.filter((b) => only.length === 0 || only.includes(b.name) || only.includes(b.label ?? ""));

// Homes an interrupted bench left behind: deleting them right before measuring would slow every file
// the benches make for up to six minutes (lib/scratch.ts), so they are only reported.
const leftovers = existsSync(SCRATCH) ? readdirSync(SCRATCH) : [];
if (leftovers.length > 0)
  console.log(`note: ${SCRATCH} holds ${leftovers.length} home(s) left by interrupted benches; delete them between runs (rm -rf ${SCRATCH}/*) and wait six minutes before the next.`);
// Every bench's temp home stays until all are done: deleting one bench's files would slow the next (lib/scratch.ts).
const scratch = scratchDir("run-");
const env = { ...process.env, DATABUS_BENCH_DIR: scratch, DATABUS_BENCH_KEEP: "1" };
const rows: string[] = [];
const failed: string[] = [];
const allStarted = performance.now();
for (const b of chosen) {
  const label = b.label ?? b.name;
  const args = quick ? b.quick : b.args;
  console.log(`\n── ${label}: bun bench/${b.name}.ts ${args.join(" ")}`);
  const started = performance.now();
  const { status, stdout } = await runBench(join(import.meta.dir, `${b.name}.ts`), args);
  const seconds = (performance.now() - started) / 1000;
  const last = stdout.trim().split("\n").at(-1) ?? "(no output)";
  rows.push(`${label.padEnd(30)} ${`${seconds.toFixed(0)} s`.padStart(6)}  ${status === 0 ? last : `failed (exit ${status})`}`);
  if (status !== 0) failed.push(label);
}
console.log(`\n${"bench".padEnd(30)} ${"took".padStart(6)}  figure\n${rows.join("\n")}`);
console.log(`all benches: ${((performance.now() - allStarted) / 1000).toFixed(0)} s${quick ? " (--quick sizes)" : ""}`);
rmSync(scratch, { recursive: true, force: true });
if (failed.length > 0) {
  console.log(`${failed.length} of ${chosen.length} benches failed: ${failed.join(", ")} (their output is above)`);
  process.exit(1);
}

/** Runs one bench, its output shown as it comes, and keeps its stdout for the table. */
function runBench(file: string, args: string[]): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: ["ignore", "pipe", "inherit"], env });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("close", (status) => resolve({ status, stdout }));
  });
}
