/** Demo processor 1: adds a `processed_by` field to the payload, the simplest transform there is. */
import { Processor, type Passenger, type ProcessContext } from "../../sdk/index";

/** `databus/demo/processor_1` */
export default class Processor1 extends Processor {
  process(passenger: Passenger, ctx: ProcessContext): void {
    const payload = isObject(passenger.payload) ? passenger.payload : { value: passenger.payload };
    passenger.payload = { ...payload, processed_by: ctx.driver };
    ctx.log.info(`Demo processor 1 marked ${passenger.external_id} as processed.`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
