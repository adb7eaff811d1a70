/// <reference path="../../../plugins/types/databus.d.ts" />
// Must compile: a processor that may skip delivery, and a pusher that uses the idempotency key.
import {
  isSkipDelivery,
  Processor,
  Pusher,
  skipDelivery,
  UnrecoverableError,
  type Passenger,
  type ProcessContext,
  type PushContext,
  type SkipDelivery,
} from "databus";

export class OnlyWithText extends Processor {
  process(p: Passenger, ctx: ProcessContext): void | SkipDelivery {
    const text = p.attachmentText("body.txt");
    if (text === undefined) return skipDelivery("no body.txt");
    p.payload = { text, key: ctx.idempotencyKey };
  }
}

export default class Deliver extends Pusher {
  async push(p: Passenger, ctx: PushContext): Promise<void> {
    if (isSkipDelivery(p.payload)) throw new UnrecoverableError("cannot deliver a skip marker");
    await fetch("http://127.0.0.1:9/", { method: "POST", body: JSON.stringify(p.payload), signal: ctx.signal, headers: { "Idempotency-Key": ctx.idempotencyKey } });
  }
}
