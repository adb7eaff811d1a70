/**
 * Recovery: a server killed (SIGKILL) while it moves passengers, and the next open's replay of the
 * journal it left. A child process runs the throughput pipeline (1 KB payloads, runs of 1,000,
 * entries kept) on the json store for SECONDS, then is killed in whatever it was doing: a drain of
 * the file writer behind the journal, a checkpoint, a run. This process then opens its store, times
 * the open (the journals replayed into the files, the queue index brought up to date) and checks that
 * every passenger whose run had ended is in the queue. Prints the changes replayed per second last.
 * `bun bench/recovery.ts [seconds = 8]`. The json store only: sqlite's own recovery is SQLite's.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { DatabusError } from "../src/core/errors";
import { createJsonDatabase } from "../src/storage/json/index";
import { CLIENT, openPipeline } from "./lib/pipeline";
import { threadCpu, threadCpuText } from "./lib/proc";
import { removeScratch, scratchDir } from "./lib/scratch";

if (process.argv[2] === "--child") {
  // Entries kept (a week): their folders are on disk when the replay comes, as on a real server.
  const pipeline = await openPipeline({ engine: "json", total: 10_000_000, perRun: 1000, payloadBytes: 1000, attachmentBytes: 0, queueLifeSpanDays: 7 });
  console.log(`home ${pipeline.home}`);
  // After each run: every passenger pulled so far is seated, durably (the run awaited it).
  for (;;) {
    await pipeline.runOnce();
    console.log(`seated ${pipeline.pulled()}`);
  }
}

const SECONDS = Number(process.argv[2] ?? 8);
if (!(SECONDS > 0)) throw new Error(`give the seconds to run before the kill, not ${process.argv[2]}`);
const homes = scratchDir("recovery-");
const child = Bun.spawn([process.execPath, import.meta.path, "--child"], {
  env: { ...process.env, DATABUS_BENCH_DIR: homes },
  stdout: "pipe",
  stderr: "inherit",
});
const output = new Response(child.stdout).text();
await Bun.sleep(SECONDS * 1000);
child.kill("SIGKILL");
await child.exited;
const out = await output;

const home = /^home (.+)$/m.exec(out)?.[1];
const seated = Math.max(0, ...[...out.matchAll(/^seated (\d+)$/gm)].map((m) => Number(m[1])));
if (!home) throw new Error(`the child printed no home before it was killed:\n${out}`);
const data = join(home, "data");
const journals = readdirSync(data).filter((n) => /^journal.*\.jsonl$/.test(n));
const journalMb = journals.reduce((mb, n) => mb + statSync(join(data, n)).size / 1e6, 0);
console.log(`killed after ${SECONDS} s with ${seated.toLocaleString("en-US")} passengers seated; ${journals.length} journal file(s), ${journalMb.toFixed(1)} MB`);

let changes = 0;
const db = createJsonDatabase(data, {
  onWarning: (w) => {
    if (w.code === "DBUS_WRN_STO_RECOVERED") changes = (w as DatabusError<"DBUS_WRN_STO_RECOVERED">).params.count;
    else console.log(`  ${w.message}`);
  },
});
const cpuBefore = threadCpu();
const started = performance.now();
await db.open();
const seconds = (performance.now() - started) / 1000;
const cpu = threadCpuText(cpuBefore, threadCpu(), seconds);
const counts = await db.countEntries(CLIENT);
await db.close();
removeScratch(homes);

const entries = counts.pending + counts.failed + counts.dead + counts.complete;
// Nothing acknowledged is lost: every passenger of every run that ended is in the queue.
if (entries < seated) throw new Error(`${seated} passengers were seated before the kill, but the store holds ${entries} entries`);
console.log(`open after the kill: ${seconds.toFixed(2)} s; ${changes.toLocaleString("en-US")} changes replayed; ${entries.toLocaleString("en-US")} entries (${seated.toLocaleString("en-US")} seated by runs that ended)`);
console.log(`  ${cpu}`);
console.log(
  `recovery: ${Math.round(changes / seconds).toLocaleString("en-US")} changes/s replayed (${changes.toLocaleString("en-US")} changes, ${journalMb.toFixed(0)} MB of journal, ` +
    `in ${seconds.toFixed(1)} s after a SIGKILL under load; ${entries.toLocaleString("en-US")} entries, none lost)`,
);
