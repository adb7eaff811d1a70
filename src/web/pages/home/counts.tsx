/**
 * Queue counts by state, one card per client. A fragment that polls itself every 5 s (htmx swaps the
 * whole section, so the next poll is scheduled by the fresh copy).
 */
import { ENTRY_STATES, type EntryState } from "../../../core/queue-entry";
import { queueHref } from "../queue/query";

export interface ClientCounts {
  client: string;
  counts: Record<EntryState, number>;
}

export const COUNTS_ID = "counts";
export const POLL_EVERY = "5s";

export function Counts({ clients, linkClient }: { clients: ClientCounts[]; linkClient: boolean }): JSX.Element {
  return (
    <section id={COUNTS_ID} class="cards" hx-get="/" hx-trigger={`every ${POLL_EVERY}`} hx-swap="outerHTML">
      {clients.map(({ client, counts }) => {
        const href = (state?: EntryState) => queueHref({ client: linkClient ? client : undefined, state });
        return (
          <article class="card">
            <h2>
              <a href={href()} safe>
                {client}
              </a>
            </h2>
            <dl class="counts">
              {ENTRY_STATES.map((state) => (
                <div>
                  <dt>
                    <a href={href(state)}>
                      {state}
                    </a>
                  </dt>
                  <dd>{counts[state]}</dd>
                </div>
              ))}
            </dl>
          </article>
        );
      })}
    </section>
  );
}
