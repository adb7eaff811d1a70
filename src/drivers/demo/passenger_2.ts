/** Demo passenger type 2 (ported from the original's demo set); the demo pullers create it. */
import { Passenger } from "../../sdk/index";

/** What the demo pullers put in the payload. */
export interface DemoPayload {
  text: string;
  number: number;
}

/** `databus/demo/passenger_2`: a demo passenger with a small text payload. */
export default class Passenger2 extends Passenger<DemoPayload> {}
