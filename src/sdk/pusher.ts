/** The Pusher base class: delivers a passenger to a target system. */
import type { PushBatchContext, PushContext } from "./context";
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

  /**
   * Optional: deliver many passengers in one call (a bulk API, one transaction). When a pusher has
   * it, Databus hands it up to 100 passengers ready for this pusher at once; `push` is still used
   * when there is only one. Return nothing when all were delivered, or one element per item:
   * `undefined` for delivered, an Error for that item's failure (it is retried like any step).
   * Throwing fails every item of the call.
   *
   * @example
   * ```ts
   * async pushBatch(items: PushBatchItem<Invoice>[], ctx: PushBatchContext) {
   *   const res = await erp.bulkInsert(items.map((i) => ({ key: i.idempotencyKey, ...i.passenger.payload })));
   *   return res.map((r) => (r.ok ? undefined : new Error(r.message)));
   * }
   * ```
   */
  pushBatch?(items: PushBatchItem<T>[], ctx: PushBatchContext): Promise<Array<Error | undefined> | void> | Array<Error | undefined> | void;
}

export interface PushBatchItem<T extends Passenger = Passenger> {
  passenger: T;
  /** `<passenger id>:<pusher name>`, as `ctx.idempotencyKey` is for `push`. */
  idempotencyKey: string;
}
