/** The menu: one entry per page, the current one marked; Logout is a POST carrying the CSRF token. */
import { can, type Action } from "../../core/users";
import type { Viewer } from "../auth/guard";
import { CSRF_FIELD } from "../auth/csrf";

export type NavItem = "home" | "passengers" | "peek" | "queue" | "logs" | "reports" | "users" | "customizing" | "export" | "system" | "about";

/** Every page of the console; a link shows only to roles that may use the page (the routes check again). */
const ITEMS: ReadonlyArray<{ id: NavItem; href: string; label: string; needs: Action }> = [
  { id: "home", href: "/", label: "Home", needs: "view" },
  { id: "passengers", href: "/passengers", label: "Passengers", needs: "view" },
  { id: "peek", href: "/peek", label: "Peek", needs: "view" },
  { id: "queue", href: "/queue", label: "Queue", needs: "view" },
  { id: "logs", href: "/logs", label: "Logs", needs: "view" },
  { id: "reports", href: "/reports", label: "Reports", needs: "view" },
  { id: "users", href: "/users", label: "Users", needs: "manage users" },
  { id: "customizing", href: "/customizing", label: "Customizing", needs: "edit the configuration" },
  { id: "export", href: "/export", label: "Export / Import", needs: "export or import" },
  { id: "system", href: "/system", label: "System", needs: "manage the system" },
  { id: "about", href: "/about", label: "About", needs: "view" },
];

export function Nav({ viewer, current }: { viewer: Viewer; current?: NavItem }): JSX.Element {
  return (
    <nav class="main" aria-label="Main">
      {ITEMS.filter((item) => can(viewer.role, item.needs, viewer.isRoot)).map((item) => (
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
