/** Process figures read from /proc (Linux): resident memory and CPU time of any pid. */
import { readdirSync, readFileSync } from "node:fs";

/** VmRSS of `pid` in MB. */
export function rssMb(pid: number | "self" = "self"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** VmHWM of `pid` in MB: the most resident memory the process has had. */
export function peakRssMb(pid: number | "self" = "self"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN) / 1024;
}

/** User + system CPU seconds used so far by `pid` (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuSeconds(pid: number | "self" = "self"): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticksPerSecond = 100; // USER_HZ, 100 on every Linux we run on
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

export const fmtMb = (mb: number): string => `${mb.toFixed(0)} MB`;

/** CPU seconds (user + system) used so far by each thread of this process, by thread id (Linux). */
export function threadCpu(): Map<number, { name: string; seconds: number }> {
  const out = new Map<number, { name: string; seconds: number }>();
  if (process.platform !== "linux") return out;
  for (const tid of readdirSync("/proc/self/task").map(Number)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    } catch (e) {
      // A thread that ended between the listing and the read; anything else is a real failure.
      if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ESRCH") continue;
      throw e;
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    out.set(tid, { name, seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
  }
  return out;
}

/**
 * What kind of thread used the CPU between two threadCpu() readings: the main thread (the
 * dispatcher and, for sqlite, every statement), Databus's worker threads (the json store's file
 * writers, sqlite's checkpoints), the JIT compilers, the garbage collector's helpers, and the rest.
 */
export function threadCpuText(before: ReturnType<typeof threadCpu>, after: ReturnType<typeof threadCpu>, wallSeconds: number): string {
  if (after.size === 0) return "CPU by thread: not measured (Linux only)";
  const kinds = { main: 0, workers: 0, jit: 0, gc: 0, other: 0 };
  for (const [tid, t] of after) {
    const used = t.seconds - (before.get(tid)?.seconds ?? 0);
    if (tid === process.pid) kinds.main += used;
    else if (t.name === "Worker") kinds.workers += used;
    else if (t.name.startsWith("JIT") || t.name === "JSCWarmUp") kinds.jit += used;
    else if (t.name.includes("Heap") || t.name.includes("ollector")) kinds.gc += used;
    else kinds.other += used;
  }
  const total = kinds.main + kinds.workers + kinds.jit + kinds.gc + kinds.other;
  const s = (v: number) => `${v.toFixed(2)} s`;
  return (
    `CPU by thread: main ${s(kinds.main)}, worker threads ${s(kinds.workers)}, JIT ${s(kinds.jit)}, GC ${s(kinds.gc)}, other ${s(kinds.other)}; ` +
    `${(total / wallSeconds).toFixed(2)} of ${navigator.hardwareConcurrency} cores busy over ${s(wallSeconds)}`
  );
}
