/** One external config file in an editor. */
import { CSRF_FIELD } from "../../auth/csrf";
import { attr } from "../../views/escape";
import { scoped } from "../../views/client-picker";

export function FileEditor({ client, name, text, csrf, scope }: { client: string; name: string; text: string; csrf: string; scope?: string }): JSX.Element {
  return (
    <section class="card editor">
      <h1>
        <span safe>{name}</span> of <span safe>{client}</span>
      </h1>
      <form method="post" action={attr(scoped(`/customizing/files/${encodeURIComponent(name)}`, scope))}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <textarea name="text" rows="24" spellcheck="false" class="mono" aria-label={attr(name)} data-test="file-text" safe>
          {text}
        </textarea>
        <button class="primary" type="submit">
          Save
        </button>{" "}
        <a href={scoped("/customizing", scope)}>Back to Customizing</a>
      </form>
    </section>
  );
}
