/** Runs one plugin call under a timeout with an AbortSignal; the timeout becomes a catalogue error. */
import { DatabusError } from "../core/errors";

export interface StepLimits {
  timeoutMs: number;
  /** Aborted on shutdown; the step's own signal follows it. */
  parent: AbortSignal;
  /** For the timeout message. */
  describe: { kind: string; name: string; id: string };
}

export const PULL_TIMEOUT_MS = 5 * 60_000;
export const STEP_TIMEOUT_MS = 60_000;

/**
 * Calls `fn` with a signal that aborts on timeout or shutdown. A plugin that ignores the signal
 * cannot hold the run: the returned promise rejects at the deadline either way.
 *
 * @example
 * ```ts
 * await runWithTimeout((signal) => pusher.push(p, { ...ctx, signal }), limits);
 * ```
 */
export async function runWithTimeout<T>(fn: (signal: AbortSignal) => Promise<T> | T, limits: StepLimits): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onParentAbort = () => {};
  const deadline = new Promise<never>((_, reject) => {
    onParentAbort = () => {
      controller.abort(limits.parent.reason);
      reject(limits.parent.reason);
    };
    if (limits.parent.aborted) return onParentAbort();
    limits.parent.addEventListener("abort", onParentAbort, { once: true });
    timer = setTimeout(() => {
      const error = new DatabusError("DBUS_RUN_STEP_TIMEOUT", { ...limits.describe, seconds: Math.round(limits.timeoutMs / 1000) });
      controller.abort(error);
      reject(error);
    }, limits.timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => fn(controller.signal)), deadline]);
  } finally {
    clearTimeout(timer);
    limits.parent.removeEventListener("abort", onParentAbort);
  }
}
