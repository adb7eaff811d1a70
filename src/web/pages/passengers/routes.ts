/**
 * Passengers: the client's definitions with Run now. POST /passengers/run starts a run (operators
 * may); with htmx it answers the run cell, whose status polls GET /passengers/status until done.
 */
import { Elysia } from "elysia";
import type { DispatcherApi } from "../../../dispatcher/api";
import type { Database } from "../../../storage/database";
import { authorize, seesAllClients, type Viewer } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { isHtmx, redirect } from "../../htmx";
import { formField, parseDefinitionName, readDefinitions, withClient } from "./definitions";
import { PassengersPage, type PassengersProps } from "./list";
import { RunCell, RunStatus, type RunState } from "./run";

const META = { title: "Passengers", nav: "passengers" } as const;

export function passengersRoutes(web: Web) {
  return new Elysia()
    .use(resolveClient(web))
    .get("/passengers", async ({ viewer, client, render }) => {
      const props = await gatherPage(web, viewer, client);
      return render(META, { page: () => PassengersPage(props) });
    })
    .get("/passengers/status", async ({ viewer, client, query, render }) => {
      const definition = parseDefinitionName(query.definition);
      const run = await runState(web.db, web.dispatcher, client, definition, query.watch === "1");
      const linkClient = client === viewer.client ? undefined : client;
      return render(META, {
        fragment: () => RunStatus({ definition, client: linkClient, run }),
        page: async () => PassengersPage(await gatherPage(web, viewer, client)),
      });
    })
    .post("/passengers/run", async ({ request, body, viewer, client, render, set }) => {
      authorize(viewer, "run now");
      const definition = parseDefinitionName(formField(body, "definition"));
      // DBUS_DSP_PAUSED / SHUTTING_DOWN / UNKNOWN_DEFINITION reach errors.ts, which shows them as an alert.
      await web.dispatcher.runNow(client, definition);
      const linkClient = client === viewer.client ? undefined : client;
      if (!isHtmx(request)) return redirect(request, withClient("/passengers", linkClient));
      set.headers["content-type"] = "text/html; charset=utf-8";
      const run = await runState(web.db, web.dispatcher, client, definition, true);
      return render(META, {
        fragment: () => RunCell({ definition, client: linkClient, csrf: viewer.csrf, run }),
        page: async () => PassengersPage(await gatherPage(web, viewer, client)),
      });
    });
}

async function gatherPage(web: Web, viewer: Viewer, client: string): Promise<PassengersProps> {
  const result = await readDefinitions(web.db, client);
  const definitions = result.ok ? result.definitions : [];
  const problems = web.dispatcher.currentProblems();
  const rows = await Promise.all(
    definitions.map(async (definition) => ({
      definition,
      nextRunAt: web.dispatcher.nextRunAt(client, definition.name),
      run: await runState(web.db, web.dispatcher, client, definition.name, false),
      problems: problems.filter((line) => line.includes(definition.name)),
    })),
  );
  return {
    client,
    linkClient: client === viewer.client ? undefined : client,
    clients: seesAllClients(viewer) ? await web.db.listClients() : undefined,
    csrf: viewer.csrf,
    rows,
    configError: result.ok ? null : result.error,
  };
}

/** Running now, or (when someone is watching a run they started) finished with its worst level. */
async function runState(db: Database, dispatcher: DispatcherApi, client: string, definition: string, watching: boolean): Promise<RunState> {
  if (dispatcher.running().some((r) => r.client === client && r.definition === definition)) return { state: "running" };
  if (!watching) return { state: "idle" };
  const { logs } = await db.listLogs(client, { origin: "run", definition }, { offset: 0, limit: 1 });
  return { state: "finished", level: logs[0]?.level ?? null };
}
