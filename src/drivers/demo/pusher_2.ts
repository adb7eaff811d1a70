/** Demo pusher 2: delivers nowhere; it logs each attachment it would deliver, with its size. */
import { Pusher, type Passenger, type PushContext } from "../../sdk/index";

/** `databus/demo/pusher_2` */
export default class Pusher2 extends Pusher {
  push(passenger: Passenger, ctx: PushContext): void {
    const files = passenger.attachments.map((a) => `${a.name} (${sizeOf(a.content)} bytes)`);
    ctx.log.info(
      `Demo pusher 2 delivered ${passenger.external_id} (key ${ctx.idempotencyKey}) with ${files.length ? files.join(", ") : "no attachments"}.`,
    );
  }
}

const sizeOf = (c: string | Uint8Array): number => (typeof c === "string" ? new TextEncoder().encode(c).length : c.length);
