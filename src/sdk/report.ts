/** The Report base class: a plugin that adds its own page (a table, CSV and JSON) to the console's Reports. */
import type { ReportPeriod } from "../core/report";
import type { ReportQuery } from "./report-query";

/**
 * `period`: whole UTC days, both included (the form shows From and To; the value is a ReportPeriod
 * ready for `ReportQuery`, the last seven days by default). `date` gives `YYYY-MM-DD`, `number` a
 * number, `text` and `choice` a string.
 */
export type ReportParameterType = "period" | "date" | "text" | "number" | "choice";

/** One field of a report's form. Checked when the plugin loads. */
export interface ReportParameter {
  /** The field's name in `params` and in the URL: a-z, 0-9 and `_`, starting with a letter, at most 32. */
  name: string;
  label: string;
  type: ReportParameterType;
  /** The report does not run until the field has a value (a default counts). A period always has one. */
  required?: boolean;
  /** A `YYYY-MM-DD` for dates, a number for numbers, one of `choices` for choices. */
  default?: string | number;
  /** For `choice`: the values offered. */
  choices?: string[];
  /** One line shown under the field. */
  help?: string;
}

/** A parameter's value in `run`: a field left empty is `null`. */
export type ReportValue = string | number | ReportPeriod | null;
export type ReportParams = Record<string, ReportValue>;

/** A table cell: shown escaped on the page, CSV-safe in downloads (a leading = + - @ gets a `'`). */
export type ReportCell = string | number | null;

export interface ReportColumn {
  /** The row property that holds this column's cells. */
  key: string;
  /** The heading (and the CSV header). */
  label: string;
}

/** What `run` returns: columns in order, then rows keyed by column `key` (a missing key is an empty cell). */
export interface ReportTable {
  columns: ReportColumn[];
  rows: Array<Record<string, ReportCell>>;
}

export interface ReportContext {
  /** The client (tenant) the report is for; `query` reads only this client's queue. */
  readonly client: string;
  /** This report's name, e.g. `acme/late_invoices`. */
  readonly report: string;
  /** When the viewer asked (ISO). */
  readonly now: string;
  /** Aborted when the report runs longer than its `timeout`; pass it to fetch() and friends. */
  readonly signal: AbortSignal;
}

/**
 * A report of your own: its page is `/reports/plugins/<name>`, listed on the Reports page to
 * operators and administrators of the client it belongs to. A report in `plugins/<client id>/`
 * belongs to that client only; one anywhere else (`plugins/shared/`, `plugins/examples/`, …) to
 * every client. `run` is called each time someone opens the page or downloads the table, with the
 * form's values checked against `parameters`; a new instance serves each call.
 *
 * A throw, a table of the wrong shape or a run longer than `timeout` shows an error box on the page
 * (DBUS_PLG_REPORT_FAILED, DBUS_PLG_REPORT_TIMEOUT) and never affects the pipeline. Not part of the
 * contract: reports cannot write to the queue; `ReportQuery` is read-only.
 *
 * @example
 * ```ts
 * import { Report, type ReportPeriod, type ReportQuery } from "databus";
 * export default class DeadByPusher extends Report<{ period: ReportPeriod }> {
 *   title = "Dead deliveries by pusher";
 *   parameters = [{ name: "period", label: "Period", type: "period" as const }];
 *   async run(query: ReportQuery, params: { period: ReportPeriod }) {
 *     const rows = (await query.summary(params.period)).map((s) => ({ pusher: s.pusher, dead: s.dead }));
 *     return { columns: [{ key: "pusher", label: "Pusher" }, { key: "dead", label: "Dead" }], rows };
 *   }
 * }
 * ```
 */
export abstract class Report<P extends object = ReportParams> {
  /** The heading of its page and its name in the Reports list. */
  abstract readonly title: string;
  /** One or two sentences under the title. */
  readonly description: string = "";
  readonly parameters: readonly ReportParameter[] = [];
  /** Seconds one run may take (at most 600); then the page shows a timeout box. */
  readonly timeout: number = 30;

  abstract run(query: ReportQuery, params: P, ctx: ReportContext): Promise<ReportTable> | ReportTable;
}
