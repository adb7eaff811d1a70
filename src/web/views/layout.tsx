/**
 * The page frame: header (Databus, the instance alias, who is logged in, the menu), the auth-off
 * banner, the alert area htmx errors land in, and htmx itself. Applied only by render.ts.
 */
import type { Viewer } from "../auth/guard";
import type { Site } from "../deps";
import { CSRF_HEADER } from "../htmx";
import { assetUrl } from "../static";
import { Nav, type NavItem } from "./nav";

/** Where errors of htmx requests are shown (errors.ts retargets them here). */
export const ALERTS_ID = "alerts";

interface LayoutProps {
  site: Site;
  viewer?: Viewer;
  title: string;
  nav?: NavItem;
  children: JSX.Element;
}

export function Layout({ site, viewer, title, nav, children }: LayoutProps): JSX.Element {
  // htmx posts (no form) carry the token in a header; htmx 4 inherits only what says :inherited.
  const hxHeaders = viewer ? JSON.stringify({ [CSRF_HEADER]: viewer.csrf }) : undefined;
  return (
    <>
      {"<!doctype html>"}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{site.alias ? `${title} · ${site.alias} · Databus` : `${title} · Databus`}</title>
          <link rel="icon" href={assetUrl("/favicon.svg", site.version)} type="image/svg+xml" />
          <link rel="stylesheet" href={assetUrl("/static/style.css", site.version)} />
          <script src={assetUrl("/static/htmx.min.js", site.version)} defer></script>
        </head>
        <body hx-headers:inherited={hxHeaders}>
          <header class="top">
            <a class="brand" href="/">Databus</a>
            {site.alias ? <span class="alias" safe>{site.alias}</span> : ""}
            {viewer ? <Nav viewer={viewer} current={nav} /> : ""}
            {viewer ? (
              <span class="who" safe>
                {`${viewer.client} / ${viewer.username} (${viewer.role})`}
              </span>
            ) : ""}
          </header>
          {viewer?.authOff ? (
            <p class="banner" role="status">
              Authentication is off for client <strong safe>{viewer.client}</strong>: anyone can log in to it as an
              administrator. Add users to its configuration to turn it on.
            </p>
          ) : ""}
          <main>
            <div id={ALERTS_ID} aria-live="polite"></div>
            {children}
          </main>
          <footer safe>Databus {site.version}</footer>
        </body>
      </html>
    </>
  );
}
