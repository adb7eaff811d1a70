/**
 * Demo puller 1: returns the same three passenger_1 items on every run, so the queue shows
 * deduplication at work after the first run. The reference puller (src/drivers/README.md).
 */
import { Puller, type PullContext } from "../../sdk/index";
import Passenger1 from "./passenger_1";

const IDS = ["demo-1-a", "demo-1-b", "demo-1-c"];

/** `databus/demo/puller_1` */
export default class Puller1 extends Puller<Passenger1> {
  pull(ctx: PullContext): Passenger1[] {
    ctx.log.info(`Demo puller 1 found ${IDS.length} passengers.`);
    return IDS.map((external_id, i) => new Passenger1({ external_id, payload: { text: `hello from ${external_id}`, number: i + 1 } }));
  }

  override notifySeated(passengers: Passenger1[], ctx: PullContext): void {
    for (const p of passengers) ctx.log.info(`Demo puller 1 was told that ${p.external_id} is seated.`);
  }

  override peek(ctx: PullContext): Passenger1[] {
    return this.pull(ctx);
  }
}
