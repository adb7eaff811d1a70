/// <reference path="../../../plugins/types/databus.d.ts" />
// Must compile: a typed puller that creates its own passenger type, with every optional method.
import { Passenger, Puller, type PullContext } from "databus";

class Invoice extends Passenger<{ number: string; total: number }> {}

export default class InvoicePuller extends Puller<Invoice> {
  async pull(ctx: PullContext): Promise<Invoice[]> {
    const cursor = (await ctx.state.get<number>("cursor")) ?? 0;
    await ctx.state.set("cursor", cursor + 1);
    ctx.signal.throwIfAborted();
    return [new Invoice({ external_id: `INV-${cursor}`, payload: { number: `INV-${cursor}`, total: 10 } })];
  }

  override async notifySeated(invoices: Invoice[], ctx: PullContext): Promise<void> {
    for (const i of invoices) ctx.log.info(`${i.payload.number} seated (${i.id})`);
  }

  override peek(): Invoice[] {
    return [];
  }
}
