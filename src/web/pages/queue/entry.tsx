/**
 * The entry page: what the passenger is (ids, source, definition), its payload as pretty JSON, its
 * attachments, the steps fragment with its actions, the logs that touched it, and Delete for
 * administrators. Everything stored is escaped.
 */
import type { QueueEntry } from "../../../core/queue-entry";
import { CSRF_FIELD } from "../../auth/csrf";
import { attr } from "../../views/escape";
import { Time } from "../../views/time";
import { Attachments, type AttachmentView } from "./attachments";
import { entryHref, logHref } from "./links";
import { queueHref } from "./query";
import { Steps } from "./steps";

/** Payloads beyond this many characters are cut short on the page (the stored one is untouched). */
export const PAYLOAD_CHARS = 200_000;

export interface EntryPageProps {
  client: string;
  entry: QueueEntry;
  attachments: AttachmentView[];
  csrf: string;
  canDelete: boolean;
  /** Set when a root administrator looks at another client, so Back keeps that client. */
  otherClient?: string;
}

export function EntryPage(props: EntryPageProps): JSX.Element {
  const { client, entry, csrf } = props;
  const p = entry.passenger;
  const payload = prettyJson(p.payload);
  return (
    <article class="entry" data-test="entry">
      <p>
        <a href={attr(queueHref({ client: props.otherClient }))}>← Queue</a>
      </p>
      <h1>
        Passenger <span class="mono" safe>{p.external_id}</span>
      </h1>
      <dl class="facts">
        <dt>Client</dt>
        <dd safe>{client}</dd>
        <dt>Definition</dt>
        <dd class="mono" safe>{p.type}</dd>
        <dt>Source</dt>
        <dd safe>{p.source_system}</dd>
        <dt>Puller</dt>
        <dd class="mono" safe>{p.puller}</dd>
        <dt>Pulled at</dt>
        <dd><Time iso={p.pulled_at} /></dd>
        <dt>Seated at</dt>
        <dd><Time iso={entry.seated_at} /></dd>
        <dt>Completed at</dt>
        <dd>{entry.completed_at ? <Time iso={entry.completed_at} /> : "—"}</dd>
        <dt>Passenger id</dt>
        <dd class="mono" safe>{p.id}</dd>
      </dl>
      <Steps client={client} entry={entry} csrf={csrf} />
      <h2>Payload</h2>
      <pre class="payload" data-test="payload" safe>
        {payload.text}
      </pre>
      {payload.truncated ? <p class="muted">Payload cut short for the page.</p> : ""}
      <h2>Attachments</h2>
      <Attachments client={client} id={p.id} attachments={props.attachments} />
      <h2>Logs</h2>
      <LinkedLogs client={client} logIds={p.log_ids} />
      {props.canDelete ? (
        <p>
          <a class="danger" href={attr(`${entryHref(client, p.id)}/delete`)} data-test="delete-entry">Delete this entry…</a>
        </p>
      ) : ""}
    </article>
  );
}

function LinkedLogs({ client, logIds }: { client: string; logIds: string[] }): JSX.Element {
  if (logIds.length === 0) return <p class="muted">No log mentions this passenger yet.</p>;
  // Newest first: ids are UUID v7, so later ids sort later.
  return (
    <ul class="logs" data-test="linked-logs">
      {[...logIds].reverse().map((id) => (
        <li>
          <a class="mono" href={attr(logHref(client, id))} safe>
            {id}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function prettyJson(value: unknown): { text: string; truncated: boolean } {
  const text = JSON.stringify(value, null, 2) ?? "null";
  return text.length > PAYLOAD_CHARS ? { text: text.slice(0, PAYLOAD_CHARS), truncated: true } : { text, truncated: false };
}

export function ConfirmDelete({ client, entry, csrf }: Pick<EntryPageProps, "client" | "entry" | "csrf">): JSX.Element {
  const href = `${entryHref(client, entry.passenger.id)}/delete`;
  return (
    <section class="confirm" data-test="confirm-delete">
      <h1>Delete this entry?</h1>
      <p>
        Passenger <strong class="mono" safe>{entry.passenger.external_id}</strong> from{" "}
        <span safe>{entry.passenger.source_system}</span> (client <span safe>{client}</span>) and its attachments are removed
        from the queue. This cannot be undone.
      </p>
      <form method="post" action={attr(href)}>
        <input type="hidden" name={CSRF_FIELD} value={attr(csrf)} />
        <button type="submit" class="danger" data-test="confirm">Delete</button>{" "}
        <a href={attr(entryHref(client, entry.passenger.id))}>Cancel</a>
      </form>
    </section>
  );
}
