/**
 * The queue's rows and pager: the fragment htmx swaps when filters or pages change. Its wrapper
 * passes target, swap and push-url down to the pager links (htmx 4 inherits only `:inherited`).
 */
import { entryState, type QueueEntry } from "../../../core/queue-entry";
import { StateBadge } from "../../views/badge";
import { attr } from "../../views/escape";
import { Pager } from "../../views/pager";
import { Table } from "../../views/table";
import { Time } from "../../views/time";
import { entryHref } from "./links";
import { PAGE_SIZE, bulkHref, queueHref, type QueueQuery } from "./query";

export const ROWS_ID = "rows";
const HEADINGS = ["Seated at", "Definition", "External id", "Source", "State"] as const;
const OLDEST_FIRST = { prev: "← Older", next: "Newer →" };

export interface RowsProps {
  /** The client the entries belong to (entry links name it). */
  client: string;
  query: QueueQuery;
  total: number;
  entries: QueueEntry[];
  /** Administrators may delete; the bulk bar offers Delete only to them (the route checks again). */
  canDelete: boolean;
}

export function Rows({ client, query, total, entries, canDelete }: RowsProps): JSX.Element {
  return (
    <div id={ROWS_ID} hx-target:inherited={`#${ROWS_ID}`} hx-swap:inherited="outerHTML" hx-push-url:inherited="true">
      {total > 0 ? <BulkBar query={query} canDelete={canDelete} /> : ""}
      <Table headings={HEADINGS} rowCount={entries.length} empty={<NoEntries query={query} />}>
        {entries.map((entry) => (
          <tr>
            <td>
              <Time iso={entry.seated_at} />
            </td>
            <td class="mono" safe>
              {entry.passenger.type}
            </td>
            <td class="mono">
              <a href={attr(entryHref(client, entry.passenger.id))} data-test="entry-link" safe>
                {entry.passenger.external_id}
              </a>
            </td>
            <td safe>{entry.passenger.source_system}</td>
            <td>
              <StateBadge state={entryState(entry.steps)} />
            </td>
          </tr>
        ))}
      </Table>
      <Pager
        page={query.page}
        pageSize={PAGE_SIZE}
        total={total}
        hrefFor={(page) => queueHref({ ...query, page })}
        labels={query.sort === "oldest" ? OLDEST_FIRST : undefined}
      />
    </div>
  );
}

/** Links to the confirmation of a bulk action on exactly this selection (the current filters). */
function BulkBar({ query, canDelete }: { query: QueueQuery; canDelete: boolean }): JSX.Element {
  return (
    <p class="bulk" data-test="bulk-bar">
      With the selection:
      <a href={attr(bulkHref("retry", query))}>Retry failed steps…</a>
      <a href={attr(bulkHref("skip", query))}>Skip failed steps…</a>
      {canDelete ? <a href={attr(bulkHref("delete", query))}>Delete entries…</a> : ""}
    </p>
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
