/** The Pusher base class: delivers a passenger to a target system. */
import type { PushContext } from "./context";
import type { Passenger } from "./passenger";

/**
 * Delivers one passenger. Called after every processor is done, once per passenger and pusher
 * until it succeeds (at-least-once): a throw marks this pusher's step failed, the other pushers
 * still run, and the step is tried again later. Use `ctx.idempotencyKey` so the target can drop
 * repeats.
 *
 * @example
 * ```ts
 * import { Pusher, type PushContext, type Passenger } from "databus";
 * export default class Print extends Pusher {
 *   async push(p: Passenger, ctx: PushContext) { ctx.log.info(`${ctx.idempotencyKey}: ${p.external_id}`); }
 * }
 * ```
 */
export abstract class Pusher<T extends Passenger = Passenger> {
  abstract push(passenger: T, ctx: PushContext): Promise<void> | void;
}
