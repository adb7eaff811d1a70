/**
 * The users table: user name, role, live remember-me tokens (a count; tokens and hashes are never
 * shown) and the actions on each user. The fragment htmx swaps; each action is a plain POST form.
 */
import { ROLES, type Role } from "../../../core/users";
import { CSRF_FIELD } from "../../auth/csrf";
import { attr } from "../../views/escape";
import { Table } from "../../views/table";
import { scoped } from "../../views/client-picker";
import { MIN_PASSWORD } from "./input";

export const USERS_ID = "users";
const HEADINGS = ["User", "Role", "Remembered logins", "Reset password", "Actions"] as const;

export interface UserRow {
  username: string;
  role: Role;
  /** Live remember-me tokens. */
  tokens: number;
}

export interface UserRowsProps {
  users: UserRow[];
  csrf: string;
  /** Set when a root administrator manages another client. */
  scope?: string;
  /** The viewer's own user on this client, whose role and existence are not theirs to change. */
  self?: string;
}

export function UserRows({ users, csrf, scope, self }: UserRowsProps): JSX.Element {
  const at = (username: string, action: string) => scoped(`/users/${encodeURIComponent(username)}/${action}`, scope);
  const token = <input type="hidden" name={CSRF_FIELD} value={csrf} />;
  return (
    <div id={USERS_ID}>
      <Table headings={HEADINGS} rowCount={users.length} empty={<>No users: authentication is off for this client. Add an administrator to turn it on.</>}>
        {users.map((u) => (
          <tr data-test="user-row" data-user={attr(u.username)}>
            <td class="mono" safe>
              {u.username}
            </td>
            <td>
              {u.username === self ? (
                <span safe>{`${u.role} (you)`}</span>
              ) : (
                <form class="inline" method="post" action={at(u.username, "role")}>
                  {token}
                  <select name="role" aria-label={attr(`Role of ${u.username}`)}>
                    {ROLES.map((r) => (
                      <option value={r} selected={r === u.role}>
                        {r}
                      </option>
                    ))}
                  </select>
                  <button type="submit">Change role</button>
                </form>
              )}
            </td>
            <td>
              <form class="inline" method="post" action={at(u.username, "revoke")}>
                {token}
                <span data-test="tokens">{u.tokens}</span>
                {u.tokens > 0 ? <button type="submit">Revoke</button> : ""}
              </form>
            </td>
            <td>
              <form class="inline" method="post" action={at(u.username, "password")}>
                {token}
                <input type="password" name="password" minlength={String(MIN_PASSWORD)} required autocomplete="new-password" aria-label={attr(`New password for ${u.username}`)} />
                <button type="submit">Reset</button>
              </form>
            </td>
            <td>{u.username === self ? "" : <a href={at(u.username, "delete")}>Delete…</a>}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
