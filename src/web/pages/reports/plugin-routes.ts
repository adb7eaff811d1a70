/**
 * Report plugins' pages: `/reports/plugins/<name>` shows the form and the table, `<name>.csv` and
 * `<name>.json` download it. Same roles as /reports (anyone of the client, root administrators for
 * any client); the name is looked up among the client's reports, never joined into a path.
 */
import { Elysia } from "elysia";
import { DatabusError } from "../../../core/errors";
import { seesAllClients } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { tableCsv } from "./csv";
import { findReport, reportsFor } from "./plugin-catalog";
import { PluginReportPage, PluginResult } from "./plugin-page";
import { parsePluginParams } from "./plugin-params";
import { createReport, runPluginReport, type PluginTable } from "./plugin-run";
import { bad } from "./query";

const SUFFIX = /\.(csv|json)$/;

export function pluginReportRoutes(web: Web) {
  return new Elysia().use(resolveClient(web)).get("/reports/plugins/*", async ({ params, query: raw, request, viewer, client, render }) => {
    const path = new URL(request.url).pathname;
    const format = SUFFIX.exec(params["*"])?.[1] as "csv" | "json" | undefined;
    const name = params["*"].replace(SUFFIX, "");
    const plugins = web.reports;
    if (!plugins) throw new DatabusError("DBUS_WEB_NOT_FOUND", { path });
    const plugin = findReport(reportsFor(plugins.list(), client, await web.db.listClients()), name, path);
    const created = createReport(plugin);
    if (!created.ok) {
      if (format) throw created.error;
      const box = () => PluginResult({ name, params: EMPTY, scope: undefined, outcome: created });
      return render({ title: plugin.name, nav: "reports" }, { fragment: box, page: box });
    }
    const { report } = created;
    const nowMs = web.clock.now();
    const form = parsePluginParams(report.parameters, raw, nowMs);
    const scope = raw.client?.trim() || undefined;
    // Until every required field has a value the report does not run; the page says what is missing.
    const outcome =
      form.missing.length > 0
        ? null
        : await runPluginReport({ name, report, query: plugins.query(web.db, client), params: form.values, client, nowMs });
    if (format) {
      if (outcome === null) throw bad(form.missing[0]!, "is required");
      if (!outcome.ok) throw outcome.error;
      return download(name, client, format, outcome.table, { title: report.title, params: form.fields, nowMs });
    }
    const props = { name, params: form, scope, outcome };
    return render(
      { title: report.title, nav: "reports" },
      {
        fragment: () => PluginResult(props),
        page: async () =>
          PluginReportPage({
            ...props,
            client,
            title: report.title,
            description: report.description,
            parameters: report.parameters,
            clients: seesAllClients(viewer) ? await web.db.listClients() : undefined,
          }),
      },
    );
  });
}

const EMPTY = { values: {}, fields: {}, missing: [] };

/** `acme_late_invoices_acme_2026-06-07.csv`: names are [A-Za-z0-9_-/], client ids and days are safe in a file name. */
function download(
  name: string,
  client: string,
  format: "csv" | "json",
  table: PluginTable,
  meta: { title: string; params: Record<string, string>; nowMs: number },
): Response {
  const day = new Date(meta.nowMs).toISOString().slice(0, 10);
  const rows = table.rows.map((r) => Object.fromEntries(table.columns.map((c, i) => [c.key, r[i]])));
  const body =
    format === "csv"
      ? tableCsv(table)
      : `${JSON.stringify({ report: name, title: meta.title, client, parameters: meta.params, columns: table.columns, rows }, null, 2)}\n`;
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${name.replace(/\//g, "_")}_${client}_${day}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
