/** An error as people see it: the message, the next step, and the code in small type. */
import type { DatabusError } from "../../core/errors";

export function Alert({ error }: { error: DatabusError }): JSX.Element {
  return (
    <div class="alert" role="alert">
      <p safe>{error.message}</p>
      <p safe>{error.hint}</p>
      <p class="code">{error.code}</p>
    </div>
  );
}

/** A whole page for an error reached by navigation (not htmx), with a way back. */
export function ErrorPage({ error, loggedIn }: { error: DatabusError; loggedIn: boolean }): JSX.Element {
  return (
    <section>
      <h1>Something needs your attention</h1>
      <Alert error={error} />
      <p>{loggedIn ? <a href="/">Back to Home</a> : <a href="/login">Go to the login page</a>}</p>
    </section>
  );
}
