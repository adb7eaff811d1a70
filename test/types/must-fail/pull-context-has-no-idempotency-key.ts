// Must fail: a pusher's context has an idempotencyKey, a puller's does not.
import { Puller, type Passenger, type PullContext } from "databus";

export default class Keyed extends Puller {
  pull(ctx: PullContext): Passenger[] {
    // @ts-expect-error PullContext has no idempotencyKey.
    ctx.log.info(ctx.idempotencyKey);
    return [];
  }
}
