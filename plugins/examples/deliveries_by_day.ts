/**
 * Example report: how many passengers each pusher delivered (or failed, or lost) per day. It gets its
 * own page under Reports (/reports/plugins/examples/deliveries_by_day) with a form, a table and
 * CSV / JSON downloads. A report in plugins/<client id>/ is shown to that client only; this one, in
 * examples/, to every client.
 */
import { Report, type ReportPeriod, type ReportQuery, type ReportTable } from "databus";

interface Params {
  period: ReportPeriod;
  state: "delivered" | "failed" | "dead";
}

export default class DeliveriesByDay extends Report<Params> {
  title = "Deliveries by day";
  override description = "Per day and pusher: how many passengers reached the state you choose.";
  override parameters = [
    { name: "period", label: "Period", type: "period" as const },
    { name: "state", label: "State", type: "choice" as const, choices: ["delivered", "failed", "dead"], default: "delivered", required: true },
  ];

  async run(query: ReportQuery, params: Params): Promise<ReportTable> {
    const counts = new Map<string, number>();
    for (const row of await query.deliveries(params.period)) {
      if (row.state !== params.state) continue;
      const key = `${row.at.slice(0, 10)}\t${row.pusher}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // Keys start with the day, so sorting them orders the rows by day, then pusher.
    const rows = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, count]) => {
      const [day, pusher] = key.split("\t");
      return { day: day ?? "", pusher: pusher ?? "", count };
    });
    return {
      columns: [
        { key: "day", label: "Day" },
        { key: "pusher", label: "Pusher" },
        { key: "count", label: params.state === "delivered" ? "Delivered" : params.state === "failed" ? "Failed" : "Dead" },
      ],
      rows,
    };
  }
}
