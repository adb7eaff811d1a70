/**
 * The Reports page: the delivery report of one client for a period, with a pusher filter, the client
 * picker for root administrators, and the rows fragment. Filters work as a plain GET form; with htmx
 * they swap only the report.
 */
import { attr } from "../../views/escape";
import { ClientPicker, scoped } from "../../views/client-picker";
import { pluginReportHref, type ReportListing } from "./plugin-catalog";
import { REPORT_ROWS_ID, ReportRows, type ReportRowsProps } from "./rows";

export interface ReportsPageProps extends ReportRowsProps {
  /** Pushers that appear in the period (unfiltered), for the filter. */
  pushers: string[];
  /** Set for root administrators: every client they may switch to. */
  clients?: string[];
  /** The report plugins this client may open. */
  plugins: ReportListing[];
}

export function ReportsPage(props: ReportsPageProps): JSX.Element {
  const { client, clients } = props;
  return (
    <>
      <h1>
        Delivery report of <span safe>{client}</span>
      </h1>
      {clients ? <ClientPicker action="/reports" clients={clients} current={client} /> : ""}
      <PluginReports plugins={props.plugins} scope={props.query.client} />
      <Filters {...props} />
      <ReportRows client={client} query={props.query} summary={props.summary} rows={props.rows} />
    </>
  );
}

/** The reports plugins add (plugins/…): one line of links to their own pages, the description as a tooltip. */
function PluginReports({ plugins, scope }: { plugins: ReportListing[]; scope: string | undefined }): JSX.Element {
  if (plugins.length === 0) return "";
  return (
    <p class="downloads" data-test="plugin-reports">
      More reports:{" "}
      {plugins.map((p, i) => (
        <>
          {i > 0 ? " · " : ""}
          <a href={attr(scoped(pluginReportHref(p.name), scope))} title={attr(p.description || p.name)} safe>
            {p.title}
          </a>
        </>
      ))}
    </p>
  );
}

function Filters({ query, pushers }: ReportsPageProps): JSX.Element {
  const names = query.pusher && !pushers.includes(query.pusher) ? [...pushers, query.pusher] : pushers;
  return (
    <form
      class="filters"
      method="get"
      action="/reports"
      role="search"
      hx-get="/reports"
      hx-target={`#${REPORT_ROWS_ID}`}
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="submit, change"
    >
      {query.client ? <input type="hidden" name="client" value={attr(query.client)} /> : ""}
      <label>
        From
        <input type="date" name="from" value={attr(query.from)} required />
      </label>
      <label>
        To (included)
        <input type="date" name="to" value={attr(query.to)} required />
      </label>
      <label>
        Pusher
        <select name="pusher">
          <option value="">(all)</option>
          {names.map((p) => (
            <option value={attr(p)} selected={p === query.pusher} safe>
              {p}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Show</button>
    </form>
  );
}
