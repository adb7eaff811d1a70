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
import { isHttps, readCookie, serializeCookie } from "./cookies";
import { seesAllClients, viewerOf, type Viewer } from "./guard";
import { rememberOf } from "./remember";
import { REMEMBER_COOKIE, REMEMBER_MS } from "./remember-token";
import { sessionCookie } from "./session";

export function resolveClient(web: Web) {
  return new Elysia()
    .resolve(async ({ request, body, query, set }) => {
      const viewer = await currentViewer(web, request, set.headers);
      if (request.method !== "GET" && request.method !== "HEAD") assertCsrf(viewer.csrf, suppliedToken(request, body));
      const client = await pickClient(web.db, viewer, query.client);
      return { viewer, client, render: createRender(web.site, viewer, request, set.headers) };
    })
    .as("scoped");
}

/**
 * The viewer behind this request. Without a live session, a valid remember-me cookie starts a new
 * one (its token rotated, both cookies sent back); else DBUS_AUTH_REQUIRED (errors.ts: to /login).
 */
export async function currentViewer(web: Web, request: Request, headers: Record<string, unknown>): Promise<Viewer> {
  const session = web.sessions.fromRequest(request);
  if (session) return viewerOf(session);
  const restored = await rememberOf(web).restore(readCookie(request, REMEMBER_COOKIE));
  if (!restored) throw new DatabusError("DBUS_AUTH_REQUIRED", {});
  headers["set-cookie"] = [sessionCookie(request, restored.session), rememberCookie(request, restored.cookie)];
  return viewerOf(restored.session);
}

/** The remember-me cookie: HttpOnly, SameSite=Lax like the session's, but lasting REMEMBER_MS. */
export function rememberCookie(request: Request, value: string): string {
  return serializeCookie(REMEMBER_COOKIE, value, { maxAge: Math.floor(REMEMBER_MS / 1000), secure: isHttps(request) });
}

export function clearRememberCookie(request: Request): string {
  return serializeCookie(REMEMBER_COOKIE, "", { maxAge: 0, secure: isHttps(request) });
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
