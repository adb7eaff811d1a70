/** Peek: ask each puller of a definition what waits in the source, without seating or consuming. */
import { reasonOf } from "../core/errors";
import type { Database } from "../storage/database";
import type { PeekResult } from "./api";
import { createStepContext } from "./contexts";
import type { ResolvedDefinition } from "./definitions";
import { RunLog } from "./run-log";
import type { Clock } from "../core/clock";
import { runWithTimeout, STEP_TIMEOUT_MS } from "./step-runner";

export interface PeekDeps {
  db: Database;
  clock: Clock;
  home: string;
  signal: AbortSignal;
  timeoutMs?: number;
}

/**
 * Peek writes no log to the store: what the puller says goes nowhere (its log lines are dropped),
 * so looking never leaves a trace that looks like a run.
 */
export async function peekDefinition(deps: PeekDeps, client: string, resolved: ResolvedDefinition): Promise<PeekResult[]> {
  const out: PeekResult[] = [];
  for (const driver of resolved.pullers) {
    const puller = driver.create();
    const name = driver.ref.name;
    if (typeof puller.peek !== "function") {
      out.push({ puller: name, status: "unsupported" });
      continue;
    }
    const log = new RunLog(deps.db, client, "peek", deps.clock);
    try {
      const items = await runWithTimeout(
        (signal) => puller.peek!(createStepContext({ db: deps.db, client, definition: resolved.definition.name, home: deps.home, log }, driver.ref, signal)),
        { timeoutMs: deps.timeoutMs ?? STEP_TIMEOUT_MS, parent: deps.signal, describe: { kind: "puller", name, id: "(peek)" } },
      );
      if (!Array.isArray(items)) throw new Error(`peek() returned ${typeof items}, not a list of passengers`);
      out.push({
        puller: name,
        status: "ok",
        passengers: items.map((p) => ({
          external_id: String(p.external_id),
          source_system: p.source_system || name,
          payload: p.payload ?? null,
          attachments: Array.isArray(p.attachments) ? p.attachments : [],
        })),
      });
    } catch (e) {
      out.push({ puller: name, status: "failed", error: reasonOf(e) });
    }
  }
  return out;
}
