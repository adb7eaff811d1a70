/** The login form: client, user, password, remember me. Values typed before a failure come back (escaped). */
import type { DatabusError } from "../../../core/errors";
import { CSRF_FIELD } from "../../auth/csrf";
import { Alert } from "../../views/alert";
import { REMEMBER_DAYS } from "../../auth/remember-token";
import { attr } from "../../views/escape";

export interface LoginFormProps {
  csrf: string;
  client?: string;
  username?: string;
  remember?: boolean;
  error?: DatabusError;
}

export function LoginForm({ csrf, client, username, remember, error }: LoginFormProps): JSX.Element {
  return (
    <section class="login card">
      <h1>Log in</h1>
      {error ? <Alert error={error} /> : ""}
      <form method="post" action="/login">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <label>
          Client
          <input name="client" value={attr(client ?? "")} required autocomplete="organization" autofocus />
        </label>
        <label>
          User
          <input name="username" value={attr(username ?? "")} required autocomplete="username" />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" />
        </label>
        <label class="inline">
          <input type="checkbox" name="remember" value="on" checked={remember === true} data-test="remember" />
          Remember me on this computer for {REMEMBER_DAYS} days
        </label>
        <button class="primary" type="submit">
          Log in
        </button>
      </form>
    </section>
  );
}
