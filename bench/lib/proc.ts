/** Process figures read from /proc (Linux): resident memory and CPU time of any pid. */
import { readFileSync } from "node:fs";

/** VmRSS of `pid` in MB. */
export function rssMb(pid: number | "self" = "self"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
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
