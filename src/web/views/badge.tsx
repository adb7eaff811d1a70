/** The state of a queue entry as a coloured label (colour by class in style.css, text for everyone). */
import type { EntryState } from "../../core/queue-entry";

export function StateBadge({ state }: { state: EntryState }): JSX.Element {
  return (
    <span class={`badge ${state}`}>
      {state}
    </span>
  );
}
