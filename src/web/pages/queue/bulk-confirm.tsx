/**
 * Bulk action views: the confirmation that states what will change ("Retry 1,234 failed steps in 812
 * entries?") with the POST that does it, and the result that says what changed and what was skipped.
 */
import { CSRF_FIELD } from "../../auth/csrf";
import { attr } from "../../views/escape";
import { formatCount, type BulkOutcome } from "./bulk";
import { queueHref, type BulkAction, type QueueQuery } from "./query";

export interface BulkConfirmProps {
  client: string;
  action: BulkAction;
  query: QueueQuery;
  /** Entries the action touches. */
  entries: number;
  /** Failed steps in them (retry, skip). */
  steps: number;
  csrf: string;
}

const VERB: Record<BulkAction, string> = { retry: "Retry", skip: "Skip", delete: "Delete" };

export function bulkQuestion({ action, entries, steps }: Pick<BulkConfirmProps, "action" | "entries" | "steps">): string {
  const e = `${formatCount(entries)} ${entries === 1 ? "entry" : "entries"}`;
  if (action === "delete") return `Delete ${e}?`;
  return `${VERB[action]} ${formatCount(steps)} failed ${steps === 1 ? "step" : "steps"} in ${e}?`;
}

export function BulkConfirm(props: BulkConfirmProps): JSX.Element {
  const { client, action, query } = props;
  const back = queueHref({ ...query, page: 1 });
  const nothing = action === "delete" ? props.entries === 0 : props.steps === 0;
  // The POST names the client in its URL (resolveClient reads ?client=) and the filter in its fields.
  const postTo = query.client ? `/queue/bulk?client=${encodeURIComponent(query.client)}` : "/queue/bulk";
  return (
    <section class="confirm" data-test="bulk-confirm">
      <h1>Bulk {action}</h1>
      <Selection client={client} query={query} />
      {nothing ? (
        <p data-test="bulk-question">
          {action === "delete" ? "The selection is empty: nothing to delete." : "No entry of the selection has a failed step: nothing to do."}
        </p>
      ) : (
        <form method="post" action={attr(postTo)}>
          <p data-test="bulk-question" safe>
            {bulkQuestion(props)}
          </p>
          {action === "delete" ? <p>Deleted entries and their attachments cannot be brought back.</p> : ""}
          <input type="hidden" name={CSRF_FIELD} value={attr(props.csrf)} />
          <input type="hidden" name="action" value={action} />
          {query.definition ? <input type="hidden" name="definition" value={attr(query.definition)} /> : ""}
          {query.state ? <input type="hidden" name="state" value={query.state} /> : ""}
          {query.text ? <input type="hidden" name="text" value={attr(query.text)} /> : ""}
          <button type="submit" class={action === "delete" ? "danger" : "primary"} data-test="bulk-confirm-button" safe>
            {`Yes, ${action}`}
          </button>{" "}
          <a href={attr(back)}>Cancel</a>
        </form>
      )}
      {nothing ? <a href={attr(back)}>Back to the queue</a> : ""}
    </section>
  );
}

function Selection({ client, query }: { client: string; query: QueueQuery }): JSX.Element {
  return (
    <p class="muted">
      Selection: the queue of <strong safe>{client}</strong>
      {query.definition ? <> · definition <span class="mono" safe>{query.definition}</span></> : ""}
      {query.state ? <> · state <span>{query.state}</span></> : ""}
      {query.text ? <> · text “<span safe>{query.text}</span>”</> : ""}
      {query.definition || query.state || query.text ? "" : " · every entry"}
    </p>
  );
}

export function BulkResult({ outcome, query }: { outcome: BulkOutcome; query: QueueQuery }): JSX.Element {
  const { action, changed, entries, skipped } = outcome;
  const done =
    action === "delete"
      ? `Deleted ${formatCount(changed)} ${changed === 1 ? "entry" : "entries"}.`
      : `${action === "retry" ? "Retried" : "Skipped"} ${formatCount(changed)} failed ${changed === 1 ? "step" : "steps"} in ${formatCount(entries)} ${entries === 1 ? "entry" : "entries"}.`;
  return (
    <section class="result" role="status" data-test="bulk-result">
      <h1>Bulk {action} done</h1>
      <p data-test="bulk-changed" safe>
        {done}
      </p>
      <p data-test="bulk-skipped" safe>
        {skipped === 0 ? "Nothing was skipped." : `${formatCount(skipped)} left as they were: their state no longer allowed it.`}
      </p>
      <a href={attr(queueHref({ ...query, page: 1 }))}>Back to the queue</a>
    </section>
  );
}
