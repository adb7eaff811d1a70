/**
 * One client on the dashboard: counts by state, runs in the last hour and day, the last run of each
 * definition with its worst level, and the 24-hour chart of passengers pulled / delivered / failed.
 */
import { Alert } from "../../views/alert";
import { BarChart } from "../../views/chart";
import { attr } from "../../views/escape";
import { Table } from "../../views/table";
import { Time } from "../../views/time";
import { queueHref } from "../queue/query";
import { hourLabel } from "./activity";
import { Counts } from "./counts";
import type { ClientDashboard, LastRun } from "./gather";

/** `linkClient`: links carry `?client=` (root administrators looking at other clients). */
export function ClientCard({ board, linkClient }: { board: ClientDashboard; linkClient: boolean }): JSX.Element {
  const client = linkClient ? board.client : undefined;
  const { activity } = board;
  const more = board.truncated ? "+" : "";
  return (
    <article class="card client-card" data-test={attr(`client-${board.client}`)}>
      <h2>
        <a href={queueHref({ client })} safe>
          {board.client}
        </a>
      </h2>
      <Counts counts={board.counts} client={client} />
      <p class="runs" data-test="runs">
        Runs: <strong safe>{`${activity.runsLastHour}${more}`}</strong> in the last hour,{" "}
        <strong safe>{`${activity.runsLastDay}${more}`}</strong> in the last 24 hours
      </p>
      {board.configError ? <Alert error={board.configError} /> : ""}
      <LastRuns runs={board.lastRuns} />
      <BarChart
        id={`chart-${board.client}`}
        title={`Passengers of ${board.client}, last 24 hours`}
        summary={`Passengers pulled, delivered and failed per hour (UTC) from ${hourLabel(activity.hours[0]!.start)}, summed from run logs.`}
        labels={activity.hours.map((h) => hourLabel(h.start))}
        series={[
          { name: "pulled", cls: "chart-pulled", values: activity.hours.map((h) => h.pulled) },
          { name: "delivered", cls: "chart-delivered", values: activity.hours.map((h) => h.delivered) },
          { name: "failed", cls: "chart-failed", values: activity.hours.map((h) => h.failed) },
        ]}
      />
    </article>
  );
}

const HEADINGS = ["Definition", "Last run", "Level", "Pulled / delivered / failed"] as const;

function LastRuns({ runs }: { runs: LastRun[] }): JSX.Element {
  return (
    <Table headings={HEADINGS} rowCount={runs.length} empty={<>No passenger definitions.</>}>
      {runs.map(({ definition, log }) => (
        <tr>
          <td class="mono" safe>
            {definition}
          </td>
          <td>
            {log ? <Time iso={log.at} /> : "never"}
            {log?.instance ? (
              <span class="muted" data-test="run-instance" safe>{` on ${log.instance}`}</span>
            ) : (
              ""
            )}
          </td>
          <td>{log ? <span class={`badge level-${log.level}`}>{log.level}</span> : ""}</td>
          <td>{!log ? "" : log.counts ? `${log.counts.pulled} / ${log.counts.delivered} / ${log.counts.failed}` : log.finished_at ? "" : "running…"}</td>
        </tr>
      ))}
    </Table>
  );
}
