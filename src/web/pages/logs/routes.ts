/** Logs: a client's logs newest first, filtered by level and definition, paged; and one log's viewer. */
import { Elysia } from "elysia";
import { DatabusError } from "../../../core/errors";
import { isClientId, isUuid } from "../../../core/ids";
import { seesAllClients } from "../../auth/guard";
import { pickClient, resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { definitionNames } from "../queue/definitions";
import { LogsList } from "./list";
import { PAGE_SIZE, logFilterOf, parseLogsQuery } from "./query";
import { LogRows } from "./rows";
import { LogViewer } from "./viewer";

export function logsRoutes(web: Web) {
  return new Elysia()
    .use(resolveClient(web))
    .get("/logs", async ({ query: raw, viewer, client, render }) => {
      const query = parseLogsQuery(raw);
      const page = { offset: (query.page - 1) * PAGE_SIZE, limit: PAGE_SIZE };
      const { total, logs } = await web.db.listLogs(client, logFilterOf(query), page);
      const rows = { client, query, total, logs };
      return render(
        { title: "Logs", nav: "logs" },
        {
          fragment: () => LogRows(rows),
          page: async () => {
            const clients = seesAllClients(viewer) ? await web.db.listClients() : undefined;
            return LogsList({ ...rows, definitions: await definitionNames(web.db, client), clients });
          },
        },
      );
    })
    .get("/logs/:client/:id", async ({ params, viewer, render }) => {
      if (!isClientId(params.client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: params.client });
      if (!isUuid(params.id)) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "log id", problem: "must be a log id (a UUID)" });
      const client = await pickClient(web.db, viewer, params.client);
      const log = await web.db.readLog(client, params.id);
      if (!log) throw new DatabusError("DBUS_STO_LOG_NOT_FOUND", { client, id: params.id });
      const otherClient = client === viewer.client ? undefined : client;
      return render({ title: `Log ${log.title}`, nav: "logs" }, { page: () => LogViewer({ log, otherClient }) });
    });
}
