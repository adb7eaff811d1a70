import { WriteBehind } from "../src/storage/json/write-behind";
import { openPipeline } from "./lib/pipeline";
const counts: Record<string, number> = {}; let drains = 0;
const orig = (WriteBehind.prototype as any).plan;
(WriteBehind.prototype as any).plan = function (work: any[]) { drains++; const tasks = orig.call(this, work);
  for (const t of tasks) for (const op of t.ops) { const k = op.op === "write" ? `write ${op.path.split("/").pop()}` : op.op; counts[k] = (counts[k] ?? 0) + 1; }
  counts.records = (counts.records ?? 0) + work.length; return tasks; };
const N = Number(process.argv[2] ?? 10000);
const p = await openPipeline({ engine: "json", total: N, perRun: N, payloadBytes: 1000, attachmentBytes: 0 });
const t = performance.now();
while (p.pushed() < 2 * N) await p.runOnce();
console.log("run", ((performance.now() - t) / 1000).toFixed(2), "s; drains during run", drains, JSON.stringify(counts));
await p.close();
console.log("after close: drains", drains, JSON.stringify(counts));
