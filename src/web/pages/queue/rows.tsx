/**
 * The queue's rows and pager: the fragment htmx swaps when filters or pages change. Its wrapper
 * passes target, swap and push-url down to the pager links (htmx 4 inherits only `:inherited`).
 */
import { entryState, type QueueEntry } from "../../../core/queue-entry";
import { StateBadge } from "../../views/badge";
import { Pager } from "../../views/pager";
import { Table } from "../../views/table";
import { Time } from "../../views/time";
import { PAGE_SIZE, queueHref, type QueueQuery } from "./query";

export const ROWS_ID = "rows";
const HEADINGS = ["Seated at", "Definition", "External id", "Source", "State"] as const;

export interface RowsProps {
  query: QueueQuery;
  total: number;
  entries: QueueEntry[];
}

export function Rows({ query, total, entries }: RowsProps): JSX.Element {
  return (
    <div id={ROWS_ID} hx-target:inherited={`#${ROWS_ID}`} hx-swap:inherited="outerHTML" hx-push-url:inherited="true">
      <Table headings={HEADINGS} rowCount={entries.length} empty={<NoEntries query={query} />}>
        {entries.map((entry) => (
          <tr>
            <td>
              <Time iso={entry.seated_at} />
            </td>
            <td class="mono" safe>
              {entry.passenger.type}
            </td>
            <td class="mono" safe>
              {entry.passenger.external_id}
            </td>
            <td safe>{entry.passenger.source_system}</td>
            <td>
              <StateBadge state={entryState(entry.steps)} />
            </td>
          </tr>
        ))}
      </Table>
      <Pager page={query.page} pageSize={PAGE_SIZE} total={total} hrefFor={(page) => queueHref({ ...query, page })} />
    </div>
  );
}

function NoEntries({ query }: { query: QueueQuery }): JSX.Element {
  const filtered = query.definition || query.state || query.text;
  return filtered ? (
    <>
      No entries match these filters. <a href={queueHref({ client: query.client })}>Show all</a>
    </>
  ) : (
    <>The queue is empty.</>
  );
}
