/**
 * Lowering the priority of the calling thread (the json store's file writer, materialise-worker.ts).
 *
 * Linux only: there setpriority() given a thread id renices that thread alone, and /proc/thread-self
 * names it. Elsewhere the same call would take the id for a process id, so nothing is done.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * The json store's file writer thread runs at this niceness: its work waits behind the journal by
 * design (readers see the changes in memory until their files are written), so a burst is
 * acknowledged first and written after. On two cores, 10,000 passengers: the dispatcher's thread
 * waited 0.7–1.0 s for a CPU, 0.4–0.6 s with the writer at niceness 10, and the run was ~10 % faster
 * (BENCHMARKS.md). When the writing falls too far behind, the journal makes callers wait for it
 * (backpressure), and a waiting dispatcher leaves the CPU to it, so it always catches up.
 */
export const WRITER_NICENESS = 10;

/** The kernel's id of the calling thread, or undefined where /proc/thread-self does not exist. */
export function ownThreadId(): number | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    const id = Number(readlinkSync("/proc/thread-self").split("/").pop());
    return Number.isInteger(id) && id > 0 ? id : undefined;
  } catch {
    return undefined; // no /proc mounted (a bare container): the thread keeps its priority
  }
}

/**
 * Sets the calling thread's niceness; returns whether it did. Best effort: a thread that keeps the
 * normal priority is only slower to catch up, never wrong, so a refusal (a seccomp policy, say) is
 * not an error.
 */
export function lowerThreadPriority(niceness: number): boolean {
  const id = ownThreadId();
  if (id === undefined || id === process.pid) return false; // the main thread is the process: never renice it
  try {
    setPriority(id, niceness);
    return true;
  } catch {
    return false;
  }
}
