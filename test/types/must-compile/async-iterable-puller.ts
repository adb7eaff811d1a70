/// <reference path="../../../plugins/types/databus.d.ts" />
// Must compile: a puller may return an async iterable instead of an array.
import { Passenger, Puller } from "databus";

export default class Streaming extends Puller {
  async *pull(): AsyncIterable<Passenger> {
    yield new Passenger({ external_id: "1", attachments: [{ name: "a.bin", content: new Uint8Array([1, 2]) }] });
  }
}
