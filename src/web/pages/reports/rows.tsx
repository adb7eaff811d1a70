/**
 * The report's body, the fragment htmx swaps when the filters or the page change: counts per pusher,
 * download links for exactly what is shown, and one row per delivery, failure or dead step.
 */
import type { DeliveryRow, PusherSummary } from "../../../core/report";
import { attr } from "../../views/escape";
import { Pager } from "../../views/pager";
import { Table } from "../../views/table";
import { Time } from "../../views/time";
import { entryHref } from "../queue/links";
import { PAGE_SIZE, downloadHref, reportsHref, type ReportsQuery } from "./query";

export const REPORT_ROWS_ID = "report-rows";
const SUMMARY_HEADINGS = ["Pusher", "Delivered", "Failed", "Dead"] as const;
/** The queue's colours: delivered is a finished step, like a complete entry. */
const BADGE: Record<DeliveryRow["state"], string> = { delivered: "complete", failed: "failed", dead: "dead" };
const HEADINGS = ["When", "Pusher", "State", "Idempotency key", "External id", "Definition", "Attempts", "Error"] as const;

export interface ReportRowsProps {
  client: string;
  query: ReportsQuery;
  summary: PusherSummary[];
  /** Every row of the report; the fragment shows one page of them. */
  rows: DeliveryRow[];
}

export function ReportRows({ client, query, summary, rows }: ReportRowsProps): JSX.Element {
  const shown = rows.slice((query.page - 1) * PAGE_SIZE, query.page * PAGE_SIZE);
  return (
    <div id={REPORT_ROWS_ID} hx-target:inherited={`#${REPORT_ROWS_ID}`} hx-swap:inherited="outerHTML" hx-push-url:inherited="true">
      <p class="downloads">
        Download <a href={attr(downloadHref(query, "csv"))} download="">CSV</a> · <a href={attr(downloadHref(query, "json"))} download="">JSON</a>
      </p>
      <Table headings={SUMMARY_HEADINGS} rowCount={summary.length} empty={<>Nothing was delivered, failed or died in this period.</>}>
        {summary.map((s) => (
          <tr data-test="summary-row">
            <td class="mono" safe>{s.pusher}</td>
            <td class="num" safe>{String(s.delivered)}</td>
            <td class="num" safe>{String(s.failed)}</td>
            <td class="num" safe>{String(s.dead)}</td>
          </tr>
        ))}
      </Table>
      <Table headings={HEADINGS} rowCount={shown.length} empty={<>No rows.</>}>
        {shown.map((r) => (
          <tr data-test="report-row">
            <td><Time iso={r.at} /></td>
            <td class="mono" safe>{r.pusher}</td>
            <td><span class={`badge ${BADGE[r.state]}`}>{r.state}</span></td>
            <td class="mono">
              <a href={attr(entryHref(client, r.passenger_id))} safe>{r.idempotency_key}</a>
            </td>
            <td safe>{r.external_id}</td>
            <td class="mono" safe>{r.definition}</td>
            <td class="num" safe>{String(r.attempts)}</td>
            <td safe>{r.error ?? ""}</td>
          </tr>
        ))}
      </Table>
      <Pager page={query.page} pageSize={PAGE_SIZE} total={rows.length} hrefFor={(page) => reportsHref({ ...query, page })} labels={{ prev: "← Earlier", next: "Later →" }} />
    </div>
  );
}
