/**
 * The bench suite as `npm run bench -- --quick` runs it (small sizes, the real compiled binary for
 * startup): every bench runs to its end and prints its figure, and a failing bench or a wrong name
 * makes the whole run fail. Figures are never asserted here (tests never time anything): only that
 * each one is printed, in the shape BENCHMARKS.md quotes.
 */
import { afterAll, describe, expect, it } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUN = join(import.meta.dir, "../../bench/run.ts");
const work = mkdtempSync(join(tmpdir(), "databus-bench-test-"));
// The filled home of console and startup is 20,000 entry folders: deleting it takes longer than a hook's default 5 s.
afterAll(() => rm(work, { recursive: true, force: true }), 120_000);

/** `bun bench/run.ts …` with every bench folder and file of its own under `work/<name>`. */
function bench(name: string, args: string[], disk = join(work, name, "disk.json")) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, DATABUS_BENCH_DIR: join(dir, "scratch"), DATABUS_BENCH_DATA: join(dir, "data"), DATABUS_BENCH_DISK: disk };
  const r = spawnSync(process.execPath, [RUN, ...args], { env, encoding: "utf8", timeout: 540_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, scratch: join(dir, "scratch") };
}

/** The table at the end of the run: bench label → its figure (the bench's last line). */
function table(stdout: string): Map<string, string> {
  const lines = stdout.split("\n");
  const head = lines.findLastIndex((l) => /^bench\s+took\s+figure$/.test(l));
  expect(head).toBeGreaterThan(-1);
  const rows = new Map<string, string>();
  for (const line of lines.slice(head + 1)) {
    const m = /^(.+?)\s+\d+ s {2}(.*)$/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  return rows;
}

describe("npm run bench -- --quick", () => {
  it(
    "runs every bench to its end and prints each figure, with the disk's ratios",
    () => {
      const r = bench("quick", ["--quick"]);
      if (r.status !== 0) console.log(r.stdout, r.stderr);
      expect(r.status).toBe(0);
      const rows = table(r.stdout);
      const n = String.raw`[\d,.]+`;
      const figures: [string, RegExp][] = [
        ["fsync", new RegExp(`^fsync: ${n} file writes/s, ${n} journal records/s, ${n} entry folders/s, fsync ${n} ms$`)],
        ["throughput", new RegExp(`^throughput: ${n} passengers/s \\(json; median of 3; .* target 5000, ${n}× disk file writes/s`)],
        ["throughput (10 KB)", new RegExp(`^throughput: ${n} passengers/s \\(json, \\+10 KB; median of 3; .* target 2000`)],
        ["throughput (sqlite)", new RegExp(`^throughput: ${n} passengers/s \\(sqlite; median of 3;`)],
        ["throughput (sqlite, 8 clients)", new RegExp(`^throughput: ${n} passengers/s \\(sqlite, 8 clients; median of 3;`)],
        ["throughput (8 clients)", new RegExp(`^throughput: ${n} passengers/s \\(json, 8 clients; median of 3;`)],
        ["recovery", new RegExp(`^recovery: ${n} changes/s replayed \\(${n} changes, ${n} MB of journal, in ${n} s after a SIGKILL under load; ${n} entries, none lost\\)$`)],
        ["console", new RegExp(`^console: worst page p95 ${n} ms at 20000 entries \\(target 50 ms\\)$`)],
        ["startup", new RegExp(`^startup: empty ${n} ms .*, 20k entries ${n} ms .*; idle RSS ${n} MB .* and ${n} MB`)],
        ["tenants", new RegExp(`^tenants: ${n} % of one core at the 60 s tick .*; one tick starts 300 runs in ${n} s`)],
        ["memory", new RegExp(`^memory: RSS ${n} MB at start, ${n} MB after 2,000 passengers \\(.*; ${n}–${n} MB at the tenths, [+−]${n} MB over the second half\\)$`)],
      ];
      expect([...rows.keys()]).toEqual(figures.map(([label]) => label));
      for (const [label, shape] of figures) expect(rows.get(label)).toMatch(shape);
      // The benches' homes are gone once the run is over (the filled home of console and startup stays for the next run).
      expect(existsSync(r.scratch) ? readdirSync(r.scratch) : []).toEqual([]);
    },
    600_000,
  );

  it("fails, naming the bench, when one bench fails", () => {
    // The disk limits cannot be saved where DATABUS_BENCH_DISK points (a folder): the fsync bench fails.
    const folder = join(work, "not-a-file");
    mkdirSync(folder);
    const r = bench("failing", ["--quick", "fsync"], folder);
    expect(r.status).toBe(1);
    expect(table(r.stdout).get("fsync")).toBe("failed (exit 1)");
    expect(r.stdout).toContain("1 of 1 benches failed: fsync");
  }, 60_000);

  it("refuses a name that is no bench's, listing the benches", () => {
    const r = bench("unknown", ["fsync", "throughput (20 KB)"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no bench is called "throughput (20 KB)"`);
    expect(r.stderr).toContain(`"throughput (sqlite)"`);
    expect(r.stdout).not.toContain("── fsync");
  });
});
