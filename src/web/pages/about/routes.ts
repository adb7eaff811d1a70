/** About: what this instance is; any logged-in user may read it. */
import { Elysia } from "elysia";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { AboutPage } from "./about";

export function aboutRoutes(web: Web) {
  return new Elysia()
    .use(resolveClient(web))
    .get("/about", ({ render }) =>
      render({ title: "About", nav: "about" }, { page: () => AboutPage({ version: web.site.version, engine: web.db.engine, home: web.site.home }) }),
    );
}
