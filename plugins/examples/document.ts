/**
 * Example passenger type: a JSON document, as the folder puller reads it and the folder pusher
 * writes it. Copy it next to your plugins and name your definition after it:
 *   "passengers": [{ "name": "examples/document", "pullers": [...], "pushers": [...] }]
 */
import { Passenger } from "databus";

/** Any JSON object. Narrow it in your own copy (`Passenger<{ number: string; total: number }>`). */
export type DocumentPayload = Record<string, unknown>;

export default class Document extends Passenger<DocumentPayload> {}
