/** Home: counts by state per visible client; htmx polls `/` for the counts fragment. */
import { Elysia } from "elysia";
import { resolveClient, visibleClients } from "../../auth/resolve-client";
import { seesAllClients } from "../../auth/guard";
import type { Web } from "../../deps";
import { Home } from "./home";
import { Counts, type ClientCounts } from "./counts";

export function homeRoutes(web: Web) {
  return new Elysia().use(resolveClient(web)).get("/", async ({ viewer, render }) => {
    const clients: ClientCounts[] = await Promise.all(
      (await visibleClients(web.db, viewer)).map(async (client) => ({ client, counts: await web.db.countEntries(client) })),
    );
    const linkClient = seesAllClients(viewer);
    return render(
      { title: "Home", nav: "home" },
      { page: () => Home({ clients, linkClient }), fragment: () => Counts({ clients, linkClient }) },
    );
  });
}
