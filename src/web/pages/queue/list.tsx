/**
 * The Queue page: filters (definition, state, text), the client picker for root administrators, and
 * the rows fragment. Filters work as a plain GET form; with htmx they swap only the rows.
 */
import { ENTRY_STATES } from "../../../core/queue-entry";
import { attr } from "../../views/escape";
import { ROWS_ID, Rows, type RowsProps } from "./rows";
import { ClientPicker } from "../../views/client-picker";

export interface QueueListProps extends RowsProps {
  client: string;
  /** Definition names of the client, for the filter. */
  definitions: string[];
  /** Set for root administrators: every client they may switch to. */
  clients?: string[];
}

export function QueueList(props: QueueListProps): JSX.Element {
  const { query, client, clients } = props;
  return (
    <>
      <h1>
        Queue of <span safe>{client}</span>
      </h1>
      {clients ? <ClientPicker action="/queue" clients={clients} current={client} /> : ""}
      <Filters {...props} />
      <Rows client={client} query={query} total={props.total} entries={props.entries} canDelete={props.canDelete} />
    </>
  );
}


function Filters({ query, definitions }: QueueListProps): JSX.Element {
  const names = query.definition && !definitions.includes(query.definition) ? [...definitions, query.definition] : definitions;
  return (
    <form
      class="filters"
      method="get"
      action="/queue"
      role="search"
      hx-get="/queue"
      hx-target={`#${ROWS_ID}`}
      hx-swap="outerHTML"
      hx-push-url="true"
      hx-trigger="submit, change, input delay:400ms"
    >
      {query.client ? <input type="hidden" name="client" value={attr(query.client)} /> : ""}
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
      <label>
        State
        <select name="state">
          <option value="">(all)</option>
          {ENTRY_STATES.map((s) => (
            <option value={s} selected={s === query.state}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Text
        <input type="search" name="text" value={attr(query.text ?? "")} placeholder="external id or source" maxlength="200" />
      </label>
      <label>
        Order
        <select name="sort">
          <option value="newest" selected={query.sort !== "oldest"}>newest seated first</option>
          <option value="oldest" selected={query.sort === "oldest"}>oldest seated first</option>
        </select>
      </label>
      <button type="submit">Filter</button>
    </form>
  );
}
