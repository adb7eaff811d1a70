/** Queue list: a client's entries filtered, sorted and paged from the index; htmx swaps only the rows. */
import { Elysia } from "elysia";
import { can } from "../../../core/users";
import { seesAllClients } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { definitionNames } from "./definitions";
import { QueueList } from "./list";
import { PAGE_SIZE, entryFilterOf, entrySortOf, parseQueueQuery } from "./query";
import { Rows } from "./rows";

export function listRoutes(web: Web) {
  return new Elysia().use(resolveClient(web)).get("/queue", async ({ query: raw, viewer, client, render }) => {
    const query = parseQueueQuery(raw);
    // One listEntries call per page: the index answers, and only the page's entries are read.
    const page = { offset: (query.page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
    const { total, entries } = await web.db.listEntries(client, entryFilterOf(query), page, entrySortOf(query));
    const rows = { client, query, total, entries, canDelete: can(viewer.role, "delete entries", viewer.isRoot) };
    return render(
      { title: "Queue", nav: "queue" },
      {
        fragment: () => Rows(rows),
        page: async () => {
          const clients = seesAllClients(viewer) ? await web.db.listClients() : undefined;
          return QueueList({ ...rows, definitions: await definitionNames(web.db, client), clients });
        },
      },
    );
  });
}
