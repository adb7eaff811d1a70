/** Queue counts by state for one client, each a link to the queue filtered on that state. */
import { ENTRY_STATES, type EntryState } from "../../../core/queue-entry";
import { queueHref } from "../queue/query";

export function Counts({ counts, client }: { counts: Record<EntryState, number>; client?: string }): JSX.Element {
  return (
    <dl class="counts">
      {ENTRY_STATES.map((state) => (
        <div>
          <dt>
            <a href={queueHref({ client, state })}>{state}</a>
          </dt>
          <dd data-test={`count-${state}`}>{counts[state]}</dd>
        </div>
      ))}
    </dl>
  );
}
