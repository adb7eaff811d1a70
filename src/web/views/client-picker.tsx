/**
 * For root administrators: which client a page is about (a plain GET form, since a page's contents
 * change with the client), and the links and form actions that keep `?client=` so every POST acts
 * on the client shown.
 */
import { attr } from "./escape";

/** `path` with `?client=` when the page is about another client than the viewer's own. */
export function scoped(path: string, scope: string | undefined): string {
  if (!scope) return path;
  return `${path}${path.includes("?") ? "&" : "?"}client=${encodeURIComponent(scope)}`;
}

export function ClientPicker({ action, clients, current }: { action: string; clients: string[]; current: string }): JSX.Element {
  return (
    <form class="filters" method="get" action={attr(action)} data-test="client-picker">
      <label>
        Client
        <select name="client">
          {clients.map((c) => (
            <option value={attr(c)} selected={c === current} safe>
              {c}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Switch</button>
    </form>
  );
}
