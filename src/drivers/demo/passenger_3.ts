/** Demo passenger type 3 (ported from the original's demo set); the demo pullers create it. */
import { Passenger } from "../../sdk/index";

/** What the demo pullers put in the payload. */
export interface DemoPayload {
  text: string;
  number: number;
}

/** `databus/demo/passenger_3`: a demo passenger with a small text payload. */
export default class Passenger3 extends Passenger<DemoPayload> {}
