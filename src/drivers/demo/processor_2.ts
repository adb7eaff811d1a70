/** Demo processor 2: upper-cases the payload's `text` and every text attachment. */
import { Processor, type Passenger, type ProcessContext } from "../../sdk/index";

/** `databus/demo/processor_2` */
export default class Processor2 extends Processor {
  process(passenger: Passenger, ctx: ProcessContext): void {
    const payload = passenger.payload as { text?: unknown } | null;
    if (payload && typeof payload === "object" && typeof payload.text === "string") {
      passenger.payload = { ...payload, text: payload.text.toUpperCase() };
    }
    let changed = 0;
    for (const a of passenger.attachments) {
      if (typeof a.content !== "string") continue;
      a.content = a.content.toUpperCase();
      changed++;
    }
    ctx.log.info(`Demo processor 2 upper-cased the text of ${passenger.external_id} and ${changed} attachment(s).`);
  }
}
