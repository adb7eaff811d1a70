/**
 * The only error handler. A DatabusError becomes its status plus a full page, or for htmx partial
 * requests an alert fragment sent to the page's alert area. Anything else is DBUS_INTERNAL with an
 * incident id: the stack goes to the console, never into HTML.
 */
import { Elysia } from "elysia";
import { DatabusError, isDatabusError } from "../core/errors";
import { uuidv7 } from "../core/ids";
import { viewerOf } from "./auth/guard";
import type { Web } from "./deps";
import { isPartial, redirect, retargetToAlerts } from "./htmx";
import { renderPage } from "./render";
import { ALERTS_ID } from "./views/layout";
import { Alert, ErrorPage } from "./views/alert";

const HTML = "text/html; charset=utf-8";

export function errorHandler(web: Web) {
  return new Elysia().onError({ as: "global" }, async ({ code, error, request, set }) => {
    const failure = toDatabusError(web, code, error, request);
    // Not logged in is not shown as an error: the visitor is sent to the login form.
    if (failure.code === "DBUS_AUTH_REQUIRED") return redirect(request, "/login", { hard: true });
    // Elysia merges set.headers (security headers, Vary) into the Response; the type must win over any
    // a handler set before it failed.
    set.headers["content-type"] = HTML;
    const headers: Record<string, string> = { "content-type": HTML };
    if (isPartial(request)) {
      retargetToAlerts(headers, `#${ALERTS_ID}`);
      return new Response(await Alert({ error: failure }), { status: failure.status, headers });
    }
    const session = web.sessions.fromRequest(request);
    const viewer = session ? viewerOf(session) : undefined;
    const body = await renderPage(web.site, viewer, { title: "Error" }, ErrorPage({ error: failure, loggedIn: !!viewer }));
    return new Response(body, { status: failure.status, headers });
  });
}

function toDatabusError(web: Web, code: string | number, error: unknown, request: Request): DatabusError {
  if (isDatabusError(error)) return error;
  if (code === "NOT_FOUND") return new DatabusError("DBUS_WEB_NOT_FOUND", { path: new URL(request.url).pathname });
  // A body that is not a form (or not parseable) is the sender's mistake, not ours.
  if (code === "PARSE") return new DatabusError("DBUS_WEB_BAD_INPUT", { field: "request body", problem: "could not be read as a form" });
  const incident = uuidv7(web.clock.now());
  console.error(`web: DBUS_INTERNAL incident ${incident} on ${request.method} ${new URL(request.url).pathname}`, error);
  return new DatabusError("DBUS_INTERNAL", { incident }, { cause: error });
}
