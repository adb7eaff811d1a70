/**
 * Reports: a client's delivery report for a period (what each pusher delivered and when, what failed,
 * what is dead), as a page and as a CSV or JSON download of the same rows. The pages of report plugins
 * are in plugin-routes.ts; this page links to them.
 */
import { Elysia } from "elysia";
import { collectDeliveries, summarise, type DeliveryRow, type ReportFilter } from "../../../core/report";
import { seesAllClients } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import type { Database } from "../../../storage/database";
import { reportCsv } from "./csv";
import { ReportsPage } from "./list";
import { describeReports, reportsFor } from "./plugin-catalog";
import { parseFormat, parseReportsQuery, reportFilterOf, type ReportsQuery } from "./query";
import { ReportRows } from "./rows";

export function reportsRoutes(web: Web) {
  return new Elysia()
    .use(resolveClient(web))
    .get("/reports", async ({ query: raw, viewer, client, render }) => {
      const query = parseReportsQuery(raw, web.clock.now());
      const all = await deliveries(web.db, client, reportFilterOf(query, false));
      const rows = query.pusher ? all.filter((r) => r.pusher === query.pusher) : all;
      const props = { client, query, rows, summary: summarise(rows) };
      return render(
        { title: "Reports", nav: "reports" },
        {
          fragment: () => ReportRows(props),
          page: async () => {
            const clients = seesAllClients(viewer) ? await web.db.listClients() : undefined;
            const plugins = web.reports ? describeReports(reportsFor(web.reports.list(), client, await web.db.listClients())) : [];
            return ReportsPage({ ...props, pushers: [...new Set(all.map((r) => r.pusher))].sort(), clients, plugins });
          },
        },
      );
    })
    .get("/reports/download", async ({ query: raw, client }) => {
      const query = parseReportsQuery(raw, web.clock.now());
      const format = parseFormat(raw.format);
      const rows = await deliveries(web.db, client, reportFilterOf(query));
      const body =
        format === "csv"
          ? reportCsv(rows)
          : `${JSON.stringify({ client, from: query.from, to: query.to, pusher: query.pusher ?? null, summary: summarise(rows), rows }, null, 2)}\n`;
      return new Response(body, {
        headers: {
          "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
          "content-disposition": `attachment; filename="${fileName(client, query, format)}"`,
          "cache-control": "no-store",
        },
      });
    });
}

/** The same rows the SDK's ReportQuery gives plugins: the queue, oldest seated first, through the contract. */
function deliveries(db: Database, client: string, filter: ReportFilter): Promise<DeliveryRow[]> {
  return collectDeliveries((offset, limit) => db.listEntries(client, {}, { offset, limit }, "seated_at"), filter);
}

/** `delivery-report_acme_2026-06-01_2026-06-07.csv`; client ids and days are safe in a file name. */
const fileName = (client: string, q: ReportsQuery, format: string): string => `delivery-report_${client}_${q.from}_${q.to}.${format}`;
