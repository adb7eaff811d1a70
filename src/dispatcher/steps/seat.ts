/** Seat: write new passengers to the queue, durably, deduplicated on (source_system, external_id). */
import { iso } from "../../core/clock";
import { uuidv7 } from "../../core/ids";
import { initialSteps, type QueueEntry } from "../../core/queue-entry";
import type { SeatRequest } from "../../storage/database";
import type { Run } from "../run-context";
import type { Pulled } from "./pull";

export async function seatPassengers(run: Run, pulled: Pulled[]): Promise<QueueEntry[]> {
  if (pulled.length === 0) return [];
  const def = run.resolved.definition;
  const now = run.clock.now();
  const at = iso(now);
  const processors = def.processors.map((r) => r.name);
  const pushers = def.pushers.map((r) => r.name);
  const requests: SeatRequest[] = pulled.map(({ puller, passenger: p, notifies }) => ({
    passenger: {
      id: uuidv7(now),
      type: def.name,
      external_id: p.external_id,
      source_system: p.source_system,
      pulled_at: at,
      puller,
      payload: p.payload ?? null,
      attachments: p.attachments,
      log_ids: [run.log.id],
    },
    steps: initialSteps(puller, processors, pushers, at, !notifies),
  }));
  const { seated, duplicates } = await run.db.seat(run.client, requests);
  run.counts.seated += seated.length;
  // Quiet when healthy: sources routinely send the same item again, so duplicates are one info line.
  run.log.info("dispatcher", `Pulled ${pulled.length}, seated ${seated.length}, already in the queue ${duplicates.length}.`);
  return seated;
}
