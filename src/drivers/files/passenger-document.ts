/**
 * `databus/files/document`: what the folder puller pulls. With `read_as: "json"` the payload is the
 * file's JSON object; with `read_as: "attachment"` the payload describes the file (`FileFacts`) and
 * its bytes are the one attachment.
 */
import { Passenger, type PassengerInit } from "../../sdk/index";

/** The payload with `read_as: "attachment"`: where the file was and what it was like. */
export interface FileFacts {
  /** Its path under the folder, with `/`. */
  path: string;
  name: string;
  size: number;
  /** Last change, ISO time. */
  modified_at: string;
}

/**
 * `databus/files/document`. Extend it (or any passenger type) to give a folder its own passenger
 * type, with a payload type when the files' JSON has a known shape.
 *
 * @example
 * ```ts
 * import { Document } from "databus/files";
 * export default class Order extends Document<{ number: string; total: number }> {}
 * ```
 */
export default class Document<P = Record<string, unknown>> extends Passenger<P> {}

/** The class of a passenger type a driver creates: what a puller's `passengerClass` holds. */
export type PassengerClass<T extends Passenger> = new (init: PassengerInit<T["payload"]>) => T;
