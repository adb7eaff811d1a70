/** Demo pusher 1: delivers nowhere; it logs what it would deliver, with the idempotency key. */
import { Pusher, type Passenger, type PushContext } from "../../sdk/index";

/** `databus/demo/pusher_1` */
export default class Pusher1 extends Pusher {
  push(passenger: Passenger, ctx: PushContext): void {
    const names = passenger.attachments.map((a) => a.name);
    ctx.log.info(
      `Demo pusher 1 delivered ${passenger.external_id} (key ${ctx.idempotencyKey}, ${names.length} attachment(s)): ${JSON.stringify(passenger.payload)}`,
    );
  }
}
