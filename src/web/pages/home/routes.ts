/**
 * Home: the dashboard of each visible client (root administrators: all, or the one in `?client=`);
 * htmx polls `/` for the dashboard fragment.
 */
import { Elysia } from "elysia";
import { resolveClient, visibleClients } from "../../auth/resolve-client";
import { seesAllClients } from "../../auth/guard";
import type { Web } from "../../deps";
import { Dashboard } from "./dashboard";
import { gatherDashboard } from "./gather";
import { Home } from "./home";

export function homeRoutes(web: Web) {
  return new Elysia().use(resolveClient(web)).get("/", async ({ viewer, client, query, render }) => {
    // resolveClient has already checked ?client= (who may ask, and that it exists).
    const picked = query.client ? [client] : await visibleClients(web.db, viewer);
    const now = web.clock.now();
    const boards = await Promise.all(picked.map((c) => gatherDashboard(web.db, c, now)));
    const props = { boards, linkClient: seesAllClients(viewer), pollUrl: query.client ? `/?client=${encodeURIComponent(client)}` : "/" };
    return render({ title: "Home", nav: "home" }, { page: () => Home(props), fragment: () => Dashboard(props) });
  });
}
