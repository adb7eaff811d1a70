/**
 * The one place the layout is applied, and the one place that decides page or fragment: a handler
 * hands over a page (and, if it has one, the fragment htmx swaps) and gets the right HTML back.
 */
import type { Viewer } from "./auth/guard";
import type { Site } from "./deps";
import { isPartial, varyOnRequestType } from "./htmx";
import { Layout } from "./views/layout";
import type { NavItem } from "./views/nav";

export interface PageMeta {
  title: string;
  nav?: NavItem;
}

export interface PageParts {
  page: () => JSX.Element;
  /** What htmx partial requests get instead of the page; the page includes the same component. */
  fragment?: () => JSX.Element;
}

export type Render = (meta: PageMeta, parts: PageParts) => Promise<string>;

export function createRender(site: Site, viewer: Viewer | undefined, request: Request, headers: Record<string, string | number>): Render {
  return async (meta, parts) => {
    if (parts.fragment) {
      varyOnRequestType(headers);
      if (isPartial(request)) return await parts.fragment();
    }
    return renderPage(site, viewer, meta, await parts.page());
  };
}

/** A whole document: layout around a body that is already HTML we built (escaped inside its views). */
export async function renderPage(site: Site, viewer: Viewer | undefined, meta: PageMeta, body: JSX.Element): Promise<string> {
  return await Layout({ site, viewer, title: meta.title, nav: meta.nav, children: body });
}
