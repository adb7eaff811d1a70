/**
 * The Logs page: filters (level, definition), the client picker for root administrators, and the
 * rows fragment. Filters work as a plain GET form; with htmx they swap only the rows.
 */
import { LOG_LEVELS } from "../../../core/log";
import { attr } from "../../views/escape";
import { LOG_ROWS_ID, LogRows, type LogRowsProps } from "./rows";
import { ClientPicker } from "../../views/client-picker";

export interface LogsListProps extends LogRowsProps {
  definitions: string[];
  /** Set for root administrators: every client they may switch to. */
  clients?: string[];
}

export function LogsList(props: LogsListProps): JSX.Element {
  const { client, clients } = props;
  return (
    <>
      <h1>
        Logs of <span safe>{client}</span>
      </h1>
      {clients ? <ClientPicker action="/logs" clients={clients} current={client} /> : ""}
      <Filters {...props} />
      <LogRows client={client} query={props.query} total={props.total} logs={props.logs} />
    </>
  );
}


function Filters({ query, definitions }: LogsListProps): JSX.Element {
  const names = query.definition && !definitions.includes(query.definition) ? [...definitions, query.definition] : definitions;
  return (
    <form
      class="filters"
      method="get"
      action="/logs"
      role="search"
      hx-get="/logs"
      hx-target={`#${LOG_ROWS_ID}`}
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="submit, change"
    >
      {query.client ? <input type="hidden" name="client" value={attr(query.client)} /> : ""}
      <label>
        Level (at least)
        <select name="level">
          <option value="">(all)</option>
          {LOG_LEVELS.map((l) => (
            <option value={l} selected={l === query.level}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label>
        Definition
        <select name="definition">
          <option value="">(all)</option>
          {names.map((d) => (
            <option value={attr(d)} selected={d === query.definition} safe>
              {d}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Filter</button>
    </form>
  );
}
