/** One log: its header (title, definition, instance, times, counts) and every entry with time, level and source, escaped. */
import type { Log } from "../../../core/log";
import { attr } from "../../views/escape";
import { Table } from "../../views/table";
import { Time } from "../../views/time";
import { LevelBadge } from "./level-badge";
import { logsHref } from "./query";

/** Entries beyond this many are not rendered (a runaway log must not make a page of megabytes). */
export const MAX_ENTRIES = 5_000;

export function LogViewer({ log, otherClient }: { log: Log; otherClient?: string }): JSX.Element {
  const shown = log.entries.slice(0, MAX_ENTRIES);
  return (
    <article class="log" data-test="log">
      <p>
        <a href={attr(logsHref({ client: otherClient }))}>← Logs</a>
      </p>
      <h1 safe>{log.title}</h1>
      <dl class="facts">
        <dt>Worst level</dt>
        <dd>
          <LevelBadge level={log.level} />
        </dd>
        <dt>Definition</dt>
        <dd class="mono" safe>
          {log.definition ?? "—"}
        </dd>
        <dt>Instance</dt>
        <dd class="mono" data-test="log-instance" safe>
          {log.instance ?? "—"}
        </dd>
        <dt>Started</dt>
        <dd>
          <Time iso={log.at} />
        </dd>
        <dt>Finished</dt>
        <dd>{log.finished_at ? <Time iso={log.finished_at} /> : "—"}</dd>
        {log.counts ? (
          <>
            <dt>Counts</dt>
            <dd safe>{`pulled ${log.counts.pulled}, seated ${log.counts.seated}, delivered ${log.counts.delivered}, failed ${log.counts.failed}`}</dd>
          </>
        ) : ""}
      </dl>
      <Table headings={["Time", "Level", "Source", "Message"]} rowCount={shown.length} empty={<>This log has no entries.</>}>
        {shown.map((e) => (
          <tr data-test="log-entry">
            <td>
              <Time iso={e.at} />
            </td>
            <td>
              <LevelBadge level={e.level} />
            </td>
            <td class="mono" safe>
              {e.source}
            </td>
            <td class="message" safe>
              {e.message}
            </td>
          </tr>
        ))}
      </Table>
      {log.entries.length > MAX_ENTRIES ? (
        <p class="muted" safe>{`Showing the first ${MAX_ENTRIES} of ${log.entries.length} entries.`}</p>
      ) : ""}
    </article>
  );
}
