/**
 * The dispatcher's state with the actions it allows now: pause, resume, and shutdown behind a
 * confirmation box. While pausing (runs finishing), the fragment asks for itself again every second.
 */
import type { DispatcherState } from "../../../dispatcher/api";
import { CSRF_FIELD } from "../../auth/csrf";
import { attr } from "../../views/escape";

export const STATE_ID = "dispatcher-state";
export const POLL_EVERY = "1s";

export interface StateProps {
  state: DispatcherState;
  csrf: string;
  /** False when the program gave the console no way to shut it down. */
  canShutdown: boolean;
}

const EXPLAIN: Record<DispatcherState, string> = {
  idle: "Waiting for the first tick.",
  running: "Runs start on schedule.",
  pausing: "Pausing: running steps finish, no new runs start.",
  paused: "Paused: no runs start until you resume.",
  stopping: "Shutting down: running steps finish (up to the grace period), then Databus exits.",
  stopped: "Stopped.",
};

export function DispatcherStatePanel({ state, csrf, canShutdown }: StateProps): JSX.Element {
  const poll = state === "pausing" ? { "hx-get": "/system", "hx-trigger": `every ${POLL_EVERY}`, "hx-swap": "outerHTML" } : {};
  const stopping = state === "stopping" || state === "stopped";
  return (
    <section id={STATE_ID} class="card dispatcher-state" {...poll}>
      <h2>Dispatcher</h2>
      <p role="status">
        <span class={`badge dsp-${state}`} data-test="dispatcher-state">
          {state}
        </span>{" "}
        <span safe>{EXPLAIN[state]}</span>
      </p>
      <div class="actions">
        {state === "running" || state === "idle" ? <Action path="/system/pause" label="Pause" csrf={csrf} /> : ""}
        {state === "paused" || state === "pausing" ? <Action path="/system/resume" label="Resume" csrf={csrf} /> : ""}
      </div>
      {stopping ? "" : canShutdown ? <ShutdownForm csrf={csrf} /> : (
        <p class="muted" data-test="no-shutdown">
          This instance cannot be shut down from the console: it was started without a shutdown hook. Stop it the way it was
          started (Ctrl+C, SIGTERM, or your service manager).
        </p>
      )}
    </section>
  );
}

function Action({ path, label, csrf }: { path: string; label: string; csrf: string }): JSX.Element {
  return (
    <form method="post" action={path} hx-post={path} hx-target={`#${STATE_ID}`} hx-swap="outerHTML">
      <input type="hidden" name={CSRF_FIELD} value={attr(csrf)} />
      <button type="submit" class="primary" safe>
        {label}
      </button>
    </form>
  );
}

function ShutdownForm({ csrf }: { csrf: string }): JSX.Element {
  return (
    <form class="shutdown" method="post" action="/system/shutdown" hx-post="/system/shutdown" hx-target={`#${STATE_ID}`} hx-swap="outerHTML">
      <input type="hidden" name={CSRF_FIELD} value={attr(csrf)} />
      <label>
        <input type="checkbox" name="confirm" value="yes" required />
        Yes, shut Databus down. Running steps finish first; nothing starts again until someone restarts it.
      </label>
      <button type="submit" class="danger">
        Shut down
      </button>
    </form>
  );
}
