/**
 * Runs one plugin call under a timeout with an AbortSignal; the timeout becomes a catalogue error.
 * While a plugin call runs, its process.exit() is refused (the host's own calls still exit).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { DatabusError } from "../core/errors";

export interface StepLimits {
  timeoutMs: number;
  /** Aborted on shutdown; the step's own signal follows it. */
  parent: AbortSignal;
  /** For the timeout message; `id` is empty while pulling (no passenger yet). */
  describe: { kind: string; name: string; id: string };
}

export const PULL_TIMEOUT_MS = 5 * 60_000;
export const STEP_TIMEOUT_MS = 60_000;

/**
 * Calls `fn` with a signal that aborts on timeout or shutdown. A plugin that ignores the signal
 * cannot hold the run: the returned promise rejects at the deadline either way. Once shutdown has
 * begun no plugin is called. (A plugin that runs synchronously cannot be stopped by any timer: it
 * answers when it answers, as before.)
 *
 * @example
 * ```ts
 * await runWithTimeout((signal) => pusher.push(p, { ...ctx, signal }), limits);
 * ```
 */
export async function runWithTimeout<T>(fn: (signal: AbortSignal) => Promise<T> | T, limits: StepLimits): Promise<T> {
  if (limits.parent.aborted) throw limits.parent.reason;
  guardProcessExit();
  const controller = new AbortController();
  const result = pluginScope.run(limits.describe, () => fn(controller.signal));
  // A call that answered at once (most processors) has nothing left to time out or abort: no timer,
  // no listener. Those cost more than the call itself (~4 µs a call, 30,000 calls in 10,000 passengers).
  if (!isThenable(result)) return result;
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
      const error = new DatabusError("DBUS_RUN_STEP_TIMEOUT", { ...limits.describe, seconds: Math.round(limits.timeoutMs / 100) / 10 });
      controller.abort(error);
      reject(error);
    }, limits.timeoutMs);
  });
  try {
    return await Promise.race([result, deadline]);
  } finally {
    clearTimeout(timer);
    limits.parent.removeEventListener("abort", onParentAbort);
  }
}

const isThenable = <T>(v: Promise<T> | T): v is Promise<T> => typeof (v as { then?: unknown } | null)?.then === "function";

/** Which plugin call the current async work belongs to; empty in the host's own code. */
const pluginScope = new AsyncLocalStorage<StepLimits["describe"]>();
let exitGuarded = false;

/**
 * Replaces process.exit once per process with a function that throws DBUS_RUN_PLUGIN_EXIT when
 * called from inside a plugin call (the async context says so) and exits as before otherwise, so a
 * plugin's exit fails its step instead of stopping every client. Signal handlers and the CLI run
 * outside any plugin call and exit normally. Not covered: process.abort(), process.kill(own pid),
 * native crashes, and exits from callbacks that lose the async context (see README, Failures).
 */
function guardProcessExit(): void {
  if (exitGuarded) return;
  exitGuarded = true;
  const original = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    const plugin = pluginScope.getStore();
    if (!plugin) return original(code as number | undefined);
    throw new DatabusError("DBUS_RUN_PLUGIN_EXIT", { kind: plugin.kind, name: plugin.name, exitCode: String(code ?? "") });
  }) as typeof process.exit;
}
