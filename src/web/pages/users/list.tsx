/** The Users page: the client picker (root administrators), a notice, the users table and the add form. */
import { ROLES } from "../../../core/users";
import { CSRF_FIELD } from "../../auth/csrf";
import { attr } from "../../views/escape";
import { ClientPicker, scoped } from "../../views/client-picker";
import type { FieldErrors, NewUserInput } from "./input";
import { MIN_PASSWORD } from "./input";
import { UserRows, type UserRowsProps } from "./rows";

/** What a redirect after an action may announce: fixed sentences, so the URL cannot inject text. */
export const NOTICES = {
  added: "The user was added.",
  role: "The role was changed.",
  password: "The password was reset; the user's remembered logins were revoked.",
  revoked: "The user's remembered logins were revoked.",
  deleted: "The user was deleted.",
} as const;
export type Notice = keyof typeof NOTICES;

export interface UsersPageProps extends UserRowsProps {
  client: string;
  clients?: string[];
  notice?: Notice;
  form?: { input: Partial<NewUserInput>; errors: FieldErrors };
}

export function UsersPage(props: UsersPageProps): JSX.Element {
  const { client, clients, notice } = props;
  return (
    <>
      <h1>
        Users of <span safe>{client}</span>
      </h1>
      {clients ? <ClientPicker action="/users" clients={clients} current={client} /> : ""}
      {notice ? (
        <p class="notice" role="status" data-test="notice">
          {NOTICES[notice]}
        </p>
      ) : ""}
      <UserRows users={props.users} csrf={props.csrf} scope={props.scope} self={props.self} />
      <AddUser {...props} />
    </>
  );
}

function AddUser({ csrf, scope, form, users }: UsersPageProps): JSX.Element {
  const errors = form?.errors ?? {};
  const role = form?.input.role ?? (users.length === 0 ? "administrator" : "operator");
  return (
    <section class="card add-user">
      <h2>Add a user</h2>
      <form method="post" action={scoped("/users", scope)} class="stacked" id="add-user">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <label>
          User name
          <input name="username" value={attr(form?.input.username ?? "")} required maxlength="64" aria-invalid={errors.username ? "true" : undefined} />
          <FieldError text={errors.username} />
        </label>
        <label>
          Role
          <select name="role">
            {ROLES.map((r) => (
              <option value={r} selected={r === role}>
                {r}
              </option>
            ))}
          </select>
          <FieldError text={errors.role} />
        </label>
        <label>
          Password
          <input type="password" name="password" required minlength={String(MIN_PASSWORD)} autocomplete="new-password" aria-invalid={errors.password ? "true" : undefined} />
          <FieldError text={errors.password} />
        </label>
        <button class="primary" type="submit">
          Add user
        </button>
      </form>
    </section>
  );
}

export function FieldError({ text }: { text?: string }): JSX.Element {
  return text ? (
    <span class="field-error" data-test="field-error" safe>
      {text}
    </span>
  ) : (
    ""
  );
}
