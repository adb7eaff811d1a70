/**
 * An entry's progress: its state, the puller-notified flag and every step with status, attempts,
 * last error, next attempt and its actions. The fragment htmx swaps after a retry or skip.
 */
import { entryState, type QueueEntry } from "../../../core/queue-entry";
import { canApply, type StepStatus } from "../../../core/step-status";
import { CSRF_FIELD } from "../../auth/csrf";
import { StateBadge } from "../../views/badge";
import { attr } from "../../views/escape";
import { Time } from "../../views/time";
import { entryHref, stepActionHref } from "./links";

export const STEPS_ID = "steps";
const HEADINGS = ["#", "Step", "Driver", "Status", "Attempts", "Last error", "Next attempt", "Actions"] as const;

export interface StepsProps {
  client: string;
  entry: QueueEntry;
  csrf: string;
}

export function Steps({ client, entry, csrf }: StepsProps): JSX.Element {
  const id = entry.passenger.id;
  const notify = entry.steps.find((s) => s.kind === "notify");
  const anyFailed = entry.steps.some((s) => s.state === "failed");
  return (
    <section id={STEPS_ID} hx-target:inherited={`#${STEPS_ID}`} hx-swap:inherited="outerHTML" data-test="steps">
      <h2>Progress</h2>
      <p class="entry-state">
        State <StateBadge state={entryState(entry.steps)} />
        <span data-test="puller-notified" safe>{`Puller notified: ${notifiedText(notify)}`}</span>
      </p>
      <table class="data">
        <thead>
          <tr>
            {HEADINGS.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entry.steps.map((step, index) => (
            <tr data-test={`step-${index}`}>
              <td safe>{String(index)}</td>
              <td>{step.kind}</td>
              <td class="mono" safe>
                {step.name}
              </td>
              <td>
                <StepBadge step={step} />
              </td>
              <td safe>{String(step.attempts)}</td>
              <td class="error-text" safe>
                {step.last_error ?? ""}
              </td>
              <td>{nextAttempt(step)}</td>
              <td class="actions">
                {canApply(step.state, "retry") ? <ActionButton href={stepActionHref(client, id, index, "retry")} label="Retry" csrf={csrf} test={`retry-${index}`} /> : ""}
                {canApply(step.state, "skip") ? <ActionButton href={stepActionHref(client, id, index, "skip")} label="Skip" csrf={csrf} test={`skip-${index}`} /> : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {anyFailed ? (
        <ActionButton href={`${entryHref(client, id)}/retry-failed`} label="Retry all failed steps" csrf={csrf} test="retry-all-failed" />
      ) : ""}
    </section>
  );
}

export function StepBadge({ step }: { step: StepStatus }): JSX.Element {
  return <span class={`badge step-${step.state}`}>{step.state}</span>;
}

function notifiedText(notify: StepStatus | undefined): string {
  if (!notify) return "—";
  if (notify.state === "done") return "yes";
  if (notify.state === "skipped") return "no (skipped)";
  return notify.state === "failed" ? "no (failed)" : "not yet";
}

function nextAttempt(step: StepStatus): JSX.Element {
  if (step.state !== "failed") return <>—</>;
  if (step.next_attempt_at === null) return <>waits for a person</>;
  return <Time iso={step.next_attempt_at} />;
}

/** A POST that works without JavaScript (303 back) and, with htmx, swaps the steps fragment. */
function ActionButton({ href, label, csrf, test }: { href: string; label: string; csrf: string; test: string }): JSX.Element {
  return (
    <form class="inline" method="post" action={attr(href)} hx-post={attr(href)}>
      <input type="hidden" name={CSRF_FIELD} value={attr(csrf)} />
      <button type="submit" data-test={test} safe>
        {label}
      </button>
    </form>
  );
}
