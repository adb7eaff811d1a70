/**
 * Demo puller 3: one new passenger_3 per run, numbered with a counter kept in the driver's
 * persistent state, so repeated runs keep feeding the queue (unlike puller_1 and puller_2).
 */
import { Puller, type PullContext } from "../../sdk/index";
import Passenger3 from "./passenger_3";

/** `databus/demo/puller_3` */
export default class Puller3 extends Puller<Passenger3> {
  async pull(ctx: PullContext): Promise<Passenger3[]> {
    const next = ((await ctx.state.get<number>("counter")) ?? 0) + 1;
    // Saved before returning: if seating fails we skip a number, which is harmless for a demo.
    await ctx.state.set("counter", next);
    ctx.log.info(`Demo puller 3 made passenger number ${next}.`);
    return [new Passenger3({ external_id: `demo-3-${next}`, payload: { text: `run ${next}`, number: next } })];
  }

  override async peek(ctx: PullContext): Promise<Passenger3[]> {
    const next = ((await ctx.state.get<number>("counter")) ?? 0) + 1;
    return [new Passenger3({ external_id: `demo-3-${next}`, payload: { text: `run ${next}`, number: next } })];
  }
}
