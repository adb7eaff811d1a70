/**
 * The logs' rows and pager, newest first: the fragment htmx swaps when filters or pages change.
 * Counts come from the log header (set when a run finishes), so no log is opened to list it.
 */
import type { LogHeader, RunCounts } from "../../../core/log";
import { attr } from "../../views/escape";
import { Pager } from "../../views/pager";
import { Table } from "../../views/table";
import { Time } from "../../views/time";
import { LevelBadge } from "./level-badge";
import { PAGE_SIZE, logHref, logsHref, type LogsQuery } from "./query";

export const LOG_ROWS_ID = "log-rows";
const HEADINGS = ["Level", "Title", "Definition", "Instance", "Started", "Finished", "Pulled", "Seated", "Delivered", "Failed", "Entries"] as const;

export interface LogRowsProps {
  client: string;
  query: LogsQuery;
  total: number;
  logs: LogHeader[];
}

export function LogRows({ client, query, total, logs }: LogRowsProps): JSX.Element {
  return (
    <div id={LOG_ROWS_ID} hx-target:inherited={`#${LOG_ROWS_ID}`} hx-swap:inherited="outerHTML" hx-push-url:inherited="true">
      <Table headings={HEADINGS} rowCount={logs.length} empty={<NoLogs query={query} />}>
        {logs.map((log) => (
          <tr data-test="log-row">
            <td>
              <LevelBadge level={log.level} />
            </td>
            <td>
              <a href={attr(logHref(client, log.id))} safe>
                {log.title}
              </a>
            </td>
            <td class="mono" safe>
              {log.definition ?? "—"}
            </td>
            <td class="mono" data-test="log-instance" safe>
              {log.instance ?? "—"}
            </td>
            <td>
              <Time iso={log.at} />
            </td>
            <td>{log.finished_at ? <Time iso={log.finished_at} /> : "—"}</td>
            <Counts counts={log.counts} />
            <td class="num" safe>{String(log.entries_count)}</td>
          </tr>
        ))}
      </Table>
      <Pager page={query.page} pageSize={PAGE_SIZE} total={total} hrefFor={(page) => logsHref({ ...query, page })} />
    </div>
  );
}

function Counts({ counts }: { counts: RunCounts | null }): JSX.Element {
  const cells = counts ? [counts.pulled, counts.seated, counts.delivered, counts.failed] : null;
  return <>{cells ? cells.map((n) => <td class="num" safe>{String(n)}</td>) : [0, 1, 2, 3].map(() => <td class="num">—</td>)}</>;
}

function NoLogs({ query }: { query: LogsQuery }): JSX.Element {
  return query.level || query.definition ? (
    <>
      No logs match these filters. <a href={attr(logsHref({ client: query.client }))}>Show all</a>
    </>
  ) : (
    <>No logs yet.</>
  );
}
