/**
 * Push: every pusher not yet done, for every entry whose processors are done. A pusher with
 * `pushBatch` gets the ready passengers in batches; the others get one `push` per passenger, a
 * bounded number at a time, entry by entry (an entry's pushers side by side, in no promised order).
 * Each passenger's step is recorded on its own either way.
 */
import { iso } from "../../core/clock";
import type { QueueEntry } from "../../core/queue-entry";
import { isStepDue } from "../../core/step-status";
import type { Pusher } from "../../sdk/pusher";
import type { ResolvedDriver } from "../definitions";
import { contextFor, type Run } from "../run-context";
import { runWithTimeout } from "../step-runner";
import type { Slots } from "../../core/slots";
import { recordFailure, recordSuccess } from "./outcome";
import type { ReadyToPush } from "./process";

export const PUSH_BATCH_SIZE = 100;

export async function pushReady(run: Run, ready: ReadyToPush[], plugins: Slots): Promise<void> {
  const pushers = new Set(ready.flatMap((r) => r.entry.steps.filter((s) => s.kind === "pusher").map((s) => s.name)));
  const singles: Array<{ name: string; driver: ResolvedDriver<Pusher> | undefined; due: Due[] }> = [];
  for (const name of pushers) {
    if (!run.shouldContinue()) return;
    const now = iso(run.clock.now());
    const due = ready
      .map((r) => ({ ...r, index: r.entry.steps.findIndex((s) => s.kind === "pusher" && s.name === name) }))
      .filter((r) => r.index > 0 && isStepDue(r.entry.steps[r.index]!, now));
    const driver = run.resolved.pushers.find((p) => p.ref.name === name);
    const batching = driver !== undefined && typeof driver.create().pushBatch === "function" && due.length > 1;
    if (batching) for (let i = 0; i < due.length && run.shouldContinue(); i += PUSH_BATCH_SIZE) await pushBatch(run, driver, due.slice(i, i + PUSH_BATCH_SIZE));
    else singles.push({ name, driver, due });
  }
  // One entry's pushes side by side (entry by entry through the slots): they end close together, and
  // their step changes reach the store in one call, one record per entry instead of one per pusher.
  const byEntry = new Map<string, Array<() => Promise<void>>>();
  for (const { name, driver, due } of singles)
    for (const r of due) {
      const calls = byEntry.get(r.entry.passenger.id) ?? [];
      calls.push(() => pushOne(run, name, driver, r.entry, r.index, r, plugins));
      byEntry.set(r.entry.passenger.id, calls);
    }
  await Promise.all([...byEntry.values()].flat().map((call) => call()));
}

type Due = ReadyToPush & { index: number };

async function pushOne(
  run: Run,
  name: string,
  driver: ResolvedDriver<Pusher> | undefined,
  entry: QueueEntry,
  index: number,
  r: ReadyToPush,
  plugins: Slots,
): Promise<void> {
  const passenger = r.passenger;
  try {
    if (!driver) throw new Error(`the pusher ${name} is no longer in the definition`);
    const pushed = await plugins(async () => {
      // Checked when the slot comes free: a pause or shutdown meanwhile leaves the rest for the next run.
      if (!run.shouldContinue()) return false;
      await runWithTimeout(
        (signal) => driver.create().push(passenger, { ...contextFor(run, driver.ref, signal), idempotencyKey: `${passenger.id}:${name}` }),
        { timeoutMs: run.timeouts.stepMs, parent: run.signal, describe: { kind: "pusher", name, id: passenger.id } },
      );
      return true;
    });
    if (!pushed) return;
  } catch (e) {
    await recordFailure(run, entry, index, e);
    return;
  }
  await recordSuccess(run, entry, index);
}

async function pushBatch(run: Run, driver: ResolvedDriver<Pusher>, batch: Due[]): Promise<void> {
  const name = driver.ref.name;
  const items = batch.map((r) => ({ passenger: r.passenger, idempotencyKey: `${r.passenger.id}:${name}` }));
  let results: Array<Error | undefined>;
  try {
    const returned = await runWithTimeout((signal) => driver.create().pushBatch!(items, contextFor(run, driver.ref, signal)), {
      timeoutMs: run.timeouts.stepMs,
      parent: run.signal,
      describe: { kind: "pusher", name, id: `${batch.length} passengers` },
    });
    results = returned === undefined ? [] : Array.isArray(returned) ? returned : [new Error("pushBatch() returned something that is not a list of results")];
    if (Array.isArray(returned) && returned.length !== batch.length && returned.length !== 0)
      throw new Error(`pushBatch() returned ${returned.length} results for ${batch.length} passengers`);
  } catch (e) {
    results = batch.map(() => e as Error);
  }
  // Each passenger's result is its own step status: one failure does not fail its neighbours.
  await Promise.all(
    batch.map((r, i) => {
      const failure = results[i];
      return failure === undefined || failure === null ? recordSuccess(run, r.entry, r.index) : recordFailure(run, r.entry, r.index, failure);
    }),
  );
}
