/**
 * System (root administrators only, every route): the dispatcher's state with pause, resume and
 * shutdown; plugins and their load errors; configuration problems; engine, version and uptime.
 */
import { Elysia } from "elysia";
import { DatabusError } from "../../../core/errors";
import type { DispatcherState } from "../../../dispatcher/api";
import { authorize, type Viewer } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { isHtmx, redirect } from "../../htmx";
import { formField } from "../passengers/definitions";
import { DispatcherStatePanel } from "./state";
import { SystemPage } from "./system";

const META = { title: "System", nav: "system" } as const;

export function systemRoutes(web: Web) {
  const stateOf = (viewer: Viewer, state: DispatcherState = web.dispatcher.state) => ({ state, csrf: viewer.csrf, canShutdown: web.requestShutdown !== null });
  /** After an action: the state fragment for htmx (showing `state` if given), else back to the page (303). */
  const answer = (request: Request, viewer: Viewer, set: { headers: Record<string, string | number> }, state?: DispatcherState) => {
    if (!isHtmx(request)) return redirect(request, "/system");
    set.headers["content-type"] = "text/html; charset=utf-8";
    return DispatcherStatePanel(stateOf(viewer, state));
  };

  return new Elysia()
    .use(resolveClient(web))
    .get("/system", ({ viewer, render }) => {
      authorize(viewer, "manage the system");
      const d = web.dispatcher;
      return render(META, {
        fragment: () => DispatcherStatePanel(stateOf(viewer)),
        page: () =>
          SystemPage({
            state: stateOf(viewer),
            facts: { engine: web.db.engine, storage: web.db.status(), version: web.site.version, startedAt: d.startedAt, nowMs: web.clock.now(), lastTickAt: d.lastTickAt },
            plugins: d.plugins(),
            problems: d.currentProblems(),
          }),
      });
    })
    .post("/system/pause", ({ request, viewer, set }) => {
      authorize(viewer, "manage the system");
      web.dispatcher.pause();
      return answer(request, viewer, set);
    })
    .post("/system/resume", ({ request, viewer, set }) => {
      authorize(viewer, "manage the system");
      web.dispatcher.resume();
      return answer(request, viewer, set);
    })
    .post("/system/shutdown", ({ request, body, viewer, set }) => {
      authorize(viewer, "manage the system");
      if (!web.requestShutdown) throw new DatabusError("DBUS_WEB_SHUTDOWN_UNAVAILABLE", {});
      if (formField(body, "confirm") !== "yes")
        throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "confirm", problem: "tick the box to confirm the shutdown" });
      web.requestShutdown();
      // The hook may stop the dispatcher asynchronously; never offer the buttons again meanwhile.
      const state = web.dispatcher.state;
      return answer(request, viewer, set, state === "stopped" ? state : "stopping");
    });
}
