/** Demo puller 2: three passenger_2 items, each with a text attachment `note.txt`. */
import { Puller, type PullContext } from "../../sdk/index";
import Passenger2 from "./passenger_2";

const IDS = ["demo-2-a", "demo-2-b", "demo-2-c"];

/** `databus/demo/puller_2` */
export default class Puller2 extends Puller<Passenger2> {
  pull(ctx: PullContext): Passenger2[] {
    ctx.log.info(`Demo puller 2 found ${IDS.length} passengers.`);
    return IDS.map(
      (external_id, i) =>
        new Passenger2({
          external_id,
          payload: { text: `note for ${external_id}`, number: (i + 1) * 10 },
          attachments: [{ name: "note.txt", content: `This is the note of ${external_id}.\n`, media_type: "text/plain" }],
        }),
    );
  }

  override notifySeated(passengers: Passenger2[], ctx: PullContext): void {
    for (const p of passengers) ctx.log.info(`Demo puller 2 was told that ${p.external_id} is seated.`);
  }
}
