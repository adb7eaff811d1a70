/** Root administrators' client list: each client with its queue size, add a client, delete with a typed confirmation. */
import type { EntryState } from "../../../core/queue-entry";
import { CSRF_FIELD } from "../../auth/csrf";
import { attr } from "../../views/escape";
import { Table } from "../../views/table";
import { FieldError } from "../users/list";

export const CLIENT_NOTICES = { added: "The client was added.", deleted: "The client was deleted." } as const;
export type ClientNotice = keyof typeof CLIENT_NOTICES;

export interface ClientSummary {
  client: string;
  counts: Record<EntryState, number>;
}

export interface AddClientForm {
  input: { id?: string; username?: string };
  errors: Partial<Record<"id" | "username" | "password", string>>;
}

const queued = (counts: Record<EntryState, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

export function ClientsPage({ clients, csrf, notice, form }: { clients: ClientSummary[]; csrf: string; notice?: ClientNotice; form?: AddClientForm }): JSX.Element {
  const errors = form?.errors ?? {};
  return (
    <>
      <h1>Clients</h1>
      {notice ? (
        <p class="notice" role="status" data-test="notice">
          {CLIENT_NOTICES[notice]}
        </p>
      ) : ""}
      <Table headings={["Client", "Queue entries", "Actions"]} rowCount={clients.length} empty={<>No clients.</>}>
        {clients.map(({ client, counts }) => (
          <tr data-test="client-row" data-client={attr(client)}>
            <td class="mono">
              <a href={`/customizing?client=${encodeURIComponent(client)}`} safe>
                {client}
              </a>
            </td>
            <td>{queued(counts)}</td>
            <td>{client === "root" ? "" : <a href={`/customizing/clients/${encodeURIComponent(client)}/delete`}>Delete…</a>}</td>
          </tr>
        ))}
      </Table>
      <section class="card">
        <h2>Add a client</h2>
        <form method="post" action="/customizing/clients" class="stacked" id="add-client">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <label>
            Client id
            <input name="id" value={attr(form?.input.id ?? "")} required maxlength="32" pattern="[a-z0-9_-]{1,32}" />
            <FieldError text={errors.id} />
          </label>
          <p class="help">Optional first administrator; without one, authentication is off for the new client.</p>
          <label>
            Administrator user name
            <input name="username" value={attr(form?.input.username ?? "")} maxlength="64" />
            <FieldError text={errors.username} />
          </label>
          <label>
            Administrator password
            <input type="password" name="password" autocomplete="new-password" />
            <FieldError text={errors.password} />
          </label>
          <button class="primary" type="submit">
            Add client
          </button>
        </form>
      </section>
    </>
  );
}

export function ConfirmDeleteClient({ client, counts, csrf, error }: { client: string; counts: Record<EntryState, number>; csrf: string; error?: string }): JSX.Element {
  return (
    <section class="card confirm">
      <h1>
        Delete client <span safe>{client}</span>?
      </h1>
      <p>
        This deletes its configuration, users, backups, external files, logs and its queue of{" "}
        <strong data-test="queued">{queued(counts)}</strong> entries ({counts.pending} pending,{" "}
        {counts.failed} failed, {counts.dead} dead). Other clients are not touched. This cannot be undone.
      </p>
      <form method="post" action={`/customizing/clients/${encodeURIComponent(client)}/delete`} class="stacked">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <label>
          Type the client id to confirm
          <input name="confirm" required autocomplete="off" data-test="confirm-id" />
          <FieldError text={error} />
        </label>
        <button class="danger" type="submit" data-test="confirm-delete">
          Delete client
        </button>{" "}
        <a href="/customizing/clients">Cancel</a>
      </form>
    </section>
  );
}
