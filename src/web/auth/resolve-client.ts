/**
 * The one plugin every logged-in page uses (scoped): it resolves the viewer, checks CSRF on POST,
 * picks the client the page is about (`?client=` for root administrators) and binds the renderer.
 */
import { Elysia } from "elysia";
import { DatabusError } from "../../core/errors";
import { isClientId } from "../../core/ids";
import type { Database } from "../../storage/database";
import type { Web } from "../deps";
import { createRender } from "../render";
import { assertCsrf, suppliedToken } from "./csrf";
import { requireViewer, seesAllClients, type Viewer } from "./guard";

export function resolveClient(web: Web) {
  return new Elysia()
    .resolve(async ({ request, body, query, set }) => {
      const viewer = requireViewer(web, request);
      if (request.method !== "GET" && request.method !== "HEAD") assertCsrf(viewer.csrf, suppliedToken(request, body));
      const client = await pickClient(web.db, viewer, query.client);
      return { viewer, client, render: createRender(web.site, viewer, request, set.headers) };
    })
    .as("scoped");
}

/**
 * The client a page shows: the viewer's own, or for root administrators the one in `?client=`.
 * Anyone else naming another client gets DBUS_AUTH_FORBIDDEN, not a silent switch back.
 */
export async function pickClient(db: Database, viewer: Viewer, requested: string | undefined): Promise<string> {
  if (!requested || requested === viewer.client) return viewer.client;
  if (!seesAllClients(viewer))
    throw new DatabusError("DBUS_AUTH_FORBIDDEN", { role: viewer.role, action: `see client ${requested}`, client: viewer.client });
  if (!isClientId(requested)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: requested });
  if (!(await db.listClients()).includes(requested)) throw new DatabusError("DBUS_CFG_CLIENT_NOT_FOUND", { client: requested });
  return requested;
}

/** The clients a viewer may see, sorted: every client for root administrators, else their own. */
export async function visibleClients(db: Database, viewer: Viewer): Promise<string[]> {
  return seesAllClients(viewer) ? db.listClients() : [viewer.client];
}
