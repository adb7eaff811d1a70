// Must fail: a passenger needs its external_id (with source_system it is the dedupe key).
import { Passenger } from "databus";

// @ts-expect-error Property external_id is missing.
export const p = new Passenger({ payload: { a: 1 } });
