/** Demo passenger type 1 (ported from the original's demo set); the demo pullers create it. */
import { Passenger } from "../../sdk/index";

/** What the demo pullers put in the payload. */
export interface DemoPayload {
  text: string;
  number: number;
}

/** `databus/demo/passenger_1`: a demo passenger with a small text payload. */
export default class Passenger1 extends Passenger<DemoPayload> {}
