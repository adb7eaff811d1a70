/**
 * Example processor: adds `processed_at` (ISO time) to each document's payload. Use it as
 *   "processors": [{ "name": "examples/stamp_processor" }]
 * A processor changes the passenger in place; Databus stores the change before the pushers run.
 */
import { Processor, type ProcessContext } from "databus";
import type Document from "./document";

export default class StampProcessor extends Processor<Document> {
  process(document: Document, ctx: ProcessContext): void {
    document.payload = { ...document.payload, processed_at: new Date().toISOString() };
    ctx.log.info(`Stamped ${document.external_id}.`);
  }
}
