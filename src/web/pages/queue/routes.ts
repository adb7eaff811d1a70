/** Queue: list a client's entries, newest first, filtered and paged; htmx swaps only the rows. */
import { Elysia } from "elysia";
import { parseClientConfig } from "../../../core/client";
import { isDatabusError } from "../../../core/errors";
import type { Database } from "../../../storage/database";
import { seesAllClients } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { QueueList } from "./list";
import { PAGE_SIZE, parseQueueQuery } from "./query";
import { Rows } from "./rows";

export function queueRoutes(web: Web) {
  return new Elysia().use(resolveClient(web)).get("/queue", async ({ query: raw, viewer, client, render }) => {
    const query = parseQueueQuery(raw);
    const filter = { definition: query.definition, state: query.state, text: query.text };
    const { total, entries } = await web.db.listEntries(client, filter, { offset: (query.page - 1) * PAGE_SIZE, limit: PAGE_SIZE }, "-seated_at");
    const rows = { query, total, entries };
    return render(
      { title: "Queue", nav: "queue" },
      {
        fragment: () => Rows(rows),
        page: async () => {
          const clients = seesAllClients(viewer) ? await web.db.listClients() : undefined;
          return QueueList({ ...rows, client, definitions: await definitionNames(web.db, client), clients });
        },
      },
    );
  });
}

/** The client's definition names for the filter; none when its config is broken (the list still works). */
async function definitionNames(db: Database, client: string): Promise<string[]> {
  try {
    return parseClientConfig(client, await db.readConfig(client)).passengers.map((d) => d.name);
  } catch (e) {
    if (isDatabusError(e) && e.code.startsWith("DBUS_CFG_")) return [];
    throw e;
  }
}
