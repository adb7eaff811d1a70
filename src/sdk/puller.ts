/** The Puller base class: fetches passengers from a source system. */
import type { PullContext } from "./context";
import type { Passenger } from "./passenger";

/**
 * Fetches passengers from a source. Called once per run of each definition that lists it.
 *
 * Lifecycle: `pull` → Databus seats what it returned (durably, deduplicated on
 * `(source_system, external_id)`) → `notifySeated` with the passengers that were seated, so the
 * source may delete, move or mark them. `notifySeated` failures are retried on later runs;
 * make it idempotent. `peek` shows what waits in the source without consuming anything.
 *
 * @example
 * ```ts
 * import { Puller, type PullContext } from "databus";
 * import Invoice from "./invoice";
 * export default class InvoicePuller extends Puller<Invoice> {
 *   async pull(ctx: PullContext) {
 *     return [new Invoice({ external_id: "INV-1", payload: { number: "INV-1", total: 10 } })];
 *   }
 * }
 * ```
 */
export abstract class Puller<T extends Passenger = Passenger> {
  /** Return the passengers waiting in the source: an array or an async iterable. */
  abstract pull(ctx: PullContext): Promise<T[] | AsyncIterable<T>> | T[] | AsyncIterable<T>;

  /** Optional: told which passengers are durably seated. Make it idempotent; it may run again. */
  notifySeated?(passengers: T[], ctx: PullContext): Promise<void> | void;

  /** Optional: what waits in the source, without consuming anything. */
  peek?(ctx: PullContext): Promise<T[]> | T[];
}
