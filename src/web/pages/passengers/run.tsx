/**
 * Run now: the button (a plain POST form, enhanced by htmx) and the run's status fragment. While the
 * definition runs, the status asks for itself again every second; once it stops, it says "finished".
 */
import type { LogLevel } from "../../../core/log";
import { CSRF_FIELD } from "../../auth/csrf";
import { attr } from "../../views/escape";
import { withClient } from "./definitions";

export type RunState = { state: "running" } | { state: "idle" } | { state: "finished"; level: LogLevel | null };

export const POLL_EVERY = "1s";

export interface RunCellProps {
  definition: string;
  /** Set when a root administrator looks at another client. */
  client?: string;
  csrf: string;
  run: RunState;
}

export function RunCell({ definition, client, csrf, run }: RunCellProps): JSX.Element {
  const action = withClient("/passengers/run", client);
  return (
    <div class="run" data-test="run">
      <form method="post" action={attr(action)} hx-post={attr(action)} hx-target="closest .run" hx-swap="outerHTML">
        <input type="hidden" name={CSRF_FIELD} value={attr(csrf)} />
        <input type="hidden" name="definition" value={attr(definition)} />
        <button type="submit" class="primary">
          Run now
        </button>
      </form>
      <RunStatus definition={definition} client={client} run={run} />
    </div>
  );
}

export function RunStatus({ definition, client, run }: Omit<RunCellProps, "csrf">): JSX.Element {
  if (run.state === "running") {
    // `watch` makes the next answer say "finished" rather than "not running" once the run is over.
    const url = withClient("/passengers/status", client, { definition, watch: "1" });
    return (
      <span class="run-status running" role="status" data-test="run-status" hx-get={attr(url)} hx-trigger={`every ${POLL_EVERY}`} hx-swap="outerHTML">
        running…
      </span>
    );
  }
  if (run.state === "finished")
    return (
      <span class="run-status finished" role="status" data-test="run-status">
        finished{run.level ? <> (worst level: <span class={`badge level-${run.level}`}>{run.level}</span>)</> : ""}
      </span>
    );
  return (
    <span class="run-status idle" role="status" data-test="run-status">
      not running
    </span>
  );
}
