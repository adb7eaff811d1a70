/**
 * A report plugin's page: its title and description, its parameters as a plain GET form (htmx swaps
 * only the result), and the result fragment: the table (every cell escaped) with its downloads, an
 * error box when the report failed, or what is still missing before it can run.
 */
import type { ReportParameter } from "../../../sdk/report";
import { Alert } from "../../views/alert";
import { ClientPicker, scoped } from "../../views/client-picker";
import { attr } from "../../views/escape";
import { Table } from "../../views/table";
import { pluginReportHref } from "./plugin-catalog";
import { paramsQuery, type PluginParams } from "./plugin-params";
import type { PluginOutcome } from "./plugin-run";

export const PLUGIN_RESULT_ID = "plugin-report-result";
/** The page shows this many rows; the downloads hold all of them. */
export const SHOWN_ROWS = 1000;

export interface PluginResultProps {
  name: string;
  params: PluginParams;
  /** The client in `?client=` (root administrators looking at another client). */
  scope: string | undefined;
  /** Null when required parameters are missing, so the report did not run. */
  outcome: PluginOutcome | null;
}

export interface PluginPageProps extends PluginResultProps {
  client: string;
  title: string;
  description: string;
  parameters: readonly ReportParameter[];
  /** Set for root administrators: every client they may switch to. */
  clients?: string[];
}

export function PluginReportPage(props: PluginPageProps): JSX.Element {
  const href = pluginReportHref(props.name);
  return (
    <>
      <p>
        <a href={attr(scoped("/reports", props.scope))}>← Reports</a>
      </p>
      <h1>
        <span safe>{props.title}</span> <small class="hint">of <span safe>{props.client}</span></small>
      </h1>
      {props.description ? <p safe>{props.description}</p> : ""}
      {props.clients ? <ClientPicker action={href} clients={props.clients} current={props.client} /> : ""}
      <form class="filters" method="get" action={attr(href)} hx-get={attr(href)} hx-target={`#${PLUGIN_RESULT_ID}`} hx-swap="outerHTML" hx-push-url="true">
        {props.scope ? <input type="hidden" name="client" value={attr(props.scope)} /> : ""}
        {props.parameters.map((p) => (
          <Field parameter={p} fields={props.params.fields} />
        ))}
        <button type="submit">Run</button>
      </form>
      <PluginResult name={props.name} params={props.params} scope={props.scope} outcome={props.outcome} />
    </>
  );
}

function Field({ parameter: p, fields }: { parameter: ReportParameter; fields: Record<string, string> }): JSX.Element {
  const help = p.help ? <small safe>{p.help}</small> : "";
  if (p.type === "period")
    return (
      <>
        <label>
          <span safe>{`${p.label} from`}</span>
          <input type="date" name={`${p.name}_from`} value={attr(fields[`${p.name}_from`] ?? "")} required />
        </label>
        <label>
          To (included)
          <input type="date" name={`${p.name}_to`} value={attr(fields[`${p.name}_to`] ?? "")} required />
          {help}
        </label>
      </>
    );
  const value = fields[p.name] ?? "";
  return (
    <label>
      <span safe>{p.label}</span>
      {p.type === "choice" ? (
        <select name={p.name} required={!!p.required}>
          {p.required ? "" : <option value="">(any)</option>}
          {(p.choices ?? []).map((c) => (
            <option value={attr(c)} selected={c === value} safe>
              {c}
            </option>
          ))}
        </select>
      ) : (
        <input
          type={p.type === "number" ? "number" : p.type === "date" ? "date" : "text"}
          step={p.type === "number" ? "any" : undefined}
          name={p.name}
          value={attr(value)}
          required={!!p.required}
        />
      )}
      {help}
    </label>
  );
}

export function PluginResult({ name, params, scope, outcome }: PluginResultProps): JSX.Element {
  if (!outcome)
    return (
      <div id={PLUGIN_RESULT_ID}>
        <p class="hint" safe>{`Fill in ${params.missing.join(", ")} to run this report.`}</p>
      </div>
    );
  if (!outcome.ok)
    return (
      <div id={PLUGIN_RESULT_ID} data-test="report-error">
        <Alert error={outcome.error} />
      </div>
    );
  const { columns, rows } = outcome.table;
  const query = paramsQuery(params.fields, scope);
  const shown = rows.slice(0, SHOWN_ROWS);
  return (
    <div id={PLUGIN_RESULT_ID}>
      <p class="downloads">
        Download <a href={attr(`${pluginReportHref(name, "csv")}${query}`)} download="">CSV</a> ·{" "}
        <a href={attr(`${pluginReportHref(name, "json")}${query}`)} download="">JSON</a>
      </p>
      <Table headings={columns.map((c) => c.label)} rowCount={shown.length} empty={<>No rows.</>}>
        {shown.map((row) => (
          <tr data-test="report-row">
            {row.map((cell) => (
              <td class={typeof cell === "number" ? "num" : undefined} safe>
                {cell === null ? "" : String(cell)}
              </td>
            ))}
          </tr>
        ))}
      </Table>
      {rows.length > shown.length ? <p class="hint" safe>{`Showing the first ${SHOWN_ROWS} of ${rows.length} rows; the downloads hold all of them.`}</p> : ""}
    </div>
  );
}
