/** The Processor base class: filters or transforms a passenger before delivery. */
import type { ProcessContext } from "./context";
import type { Passenger } from "./passenger";

/** Returned by a processor to stop delivery of this passenger: its pushers become `skipped`. */
export interface SkipDelivery {
  readonly skipDelivery: true;
  readonly reason: string;
}

/**
 * Tells Databus not to deliver this passenger. We chose a return value over a throw because
 * skipping is a normal outcome, not a failure.
 *
 * @example
 * ```ts
 * if (!passenger.attachment("invoice.xlsx")) return skipDelivery("no Excel attachment");
 * ```
 */
export function skipDelivery(reason: string): SkipDelivery {
  return { skipDelivery: true, reason };
}

export function isSkipDelivery(v: unknown): v is SkipDelivery {
  return typeof v === "object" && v !== null && (v as SkipDelivery).skipDelivery === true;
}

/**
 * Changes a passenger's payload or attachments in place (Databus persists the change), or returns
 * `skipDelivery(reason)`. Called once per passenger, in the order the definition lists
 * processors; a processor that throws is retried on later runs, the ones before it are not.
 *
 * @example
 * ```ts
 * import { Processor, type ProcessContext, type Passenger } from "databus";
 * export default class Upper extends Processor {
 *   async process(p: Passenger<{ text: string }>, ctx: ProcessContext) {
 *     p.payload.text = p.payload.text.toUpperCase();
 *   }
 * }
 * ```
 */
export abstract class Processor<T extends Passenger = Passenger> {
  abstract process(passenger: T, ctx: ProcessContext): Promise<void | SkipDelivery> | void | SkipDelivery;
}
