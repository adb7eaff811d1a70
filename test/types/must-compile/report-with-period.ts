/// <reference path="../../../plugins/types/databus.d.ts" />
// Must compile: a report with typed parameters that reads the delivery report and returns a table.
import { Report, type ReportContext, type ReportPeriod, type ReportQuery, type ReportTable } from "databus";

interface Params {
  period: ReportPeriod;
  pusher: string | null;
}

export default class DeadPerPusher extends Report<Params> {
  title = "Dead per pusher";
  override description = "How many deliveries died, per pusher.";
  override timeout = 60;
  override parameters = [
    { name: "period", label: "Period", type: "period" as const },
    { name: "pusher", label: "Pusher", type: "text" as const, help: "Leave empty for every pusher." },
  ];

  async run(query: ReportQuery, params: Params, ctx: ReportContext): Promise<ReportTable> {
    const summary = await query.summary({ ...params.period, ...(params.pusher ? { pusher: params.pusher } : {}) });
    ctx.signal.throwIfAborted();
    return { columns: [{ key: "pusher", label: "Pusher" }, { key: "dead", label: "Dead" }], rows: summary.map((s) => ({ pusher: s.pusher, dead: s.dead })) };
  }
}
