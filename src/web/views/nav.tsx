/** The menu: one entry per page, the current one marked; Logout is a POST carrying the CSRF token. */
import type { Viewer } from "../auth/guard";
import { CSRF_FIELD } from "../auth/csrf";

export type NavItem = "home" | "queue";

const ITEMS: ReadonlyArray<{ id: NavItem; href: string; label: string }> = [
  { id: "home", href: "/", label: "Home" },
  { id: "queue", href: "/queue", label: "Queue" },
];

export function Nav({ viewer, current }: { viewer: Viewer; current?: NavItem }): JSX.Element {
  return (
    <nav class="main" aria-label="Main">
      {ITEMS.map((item) => (
        <a href={item.href} aria-current={item.id === current ? "page" : undefined} safe>
          {item.label}
        </a>
      ))}
      <form method="post" action="/logout">
        <input type="hidden" name={CSRF_FIELD} value={viewer.csrf} />
        <button type="submit">Logout</button>
      </form>
    </nav>
  );
}
