/** Everything one run of one client passenger needs; built by the dispatcher, read by the steps. */
import type { Clock } from "../core/clock";
import type { ClientConfig, DriverRef } from "../core/client";
import type { RunCounts } from "../core/log";
import type { RetryPolicy } from "../core/retry-policy";
import type { StepContext } from "../sdk/context";
import type { Database } from "../storage/database";
import { createStepContext } from "./contexts";
import type { FreeSpace } from "./disk-space";
import type { ResolvedDefinition } from "./definitions";
import type { RunLog } from "./run-log";

export interface Run {
  db: Database;
  clock: Clock;
  home: string;
  client: string;
  config: ClientConfig;
  resolved: ResolvedDefinition;
  log: RunLog;
  /** Aborted on shutdown after the grace period. */
  signal: AbortSignal;
  /** False once the dispatcher is pausing or stopping: finish the current step, start no other. */
  shouldContinue: () => boolean;
  timeouts: { pullMs: number; stepMs: number };
  /** The instance's retry policy with this definition's changes applied. */
  retry: RetryPolicy;
  /** A number in [0, 1) for jitter; tests pass a fixed one. */
  random: () => number;
  /** Largest passenger (payload as JSON plus attachments) a puller or processor may produce. */
  passengerLimitBytes: number;
  /** Measures free disk space for the low-disk warning; tests replace it. */
  freeSpace?: FreeSpace;
  /** Most entries one run works on; the rest wait for the next run. */
  batchLimit: number;
  /** What the run did so far; recorded on its log when it finishes. */
  counts: RunCounts;
  /** Whether this run also purges the client's old logs and backups (a few times an hour per client, not every run). */
  purgeLogs?: boolean;
}

export function contextFor(run: Run, ref: DriverRef, signal: AbortSignal): StepContext {
  return createStepContext(
    { db: run.db, client: run.client, definition: run.resolved.definition.name, home: run.home, log: run.log },
    ref,
    signal,
  );
}
