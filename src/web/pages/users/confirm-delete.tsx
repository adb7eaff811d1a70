/** Deleting a user asks first, on its own page, so the confirmation works without JavaScript. */
import { CSRF_FIELD } from "../../auth/csrf";
import { scoped } from "../../views/client-picker";

export function ConfirmDelete({ client, username, csrf, scope }: { client: string; username: string; csrf: string; scope?: string }): JSX.Element {
  return (
    <section class="card confirm">
      <h1>
        Delete user <span safe>{username}</span>?
      </h1>
      <p>
        <span safe>{username}</span> will no longer be able to log in to client <strong safe>{client}</strong>; their
        remembered logins are revoked. This cannot be undone.
      </p>
      <form method="post" action={scoped(`/users/${encodeURIComponent(username)}/delete`, scope)}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button class="danger" type="submit" data-test="confirm-delete">
          Delete
        </button>{" "}
        <a href={scoped("/users", scope)}>Cancel</a>
      </form>
    </section>
  );
}
