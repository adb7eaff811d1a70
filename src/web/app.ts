/**
 * Assembles the console: security headers, the error handler, static assets, machine endpoints and
 * the pages. The CLI calls `.listen({ port, hostname, reusePort: false })`; tests call `app.handle()`.
 */
import { html } from "@elysiajs/html";
import { Elysia } from "elysia";
import { systemClock } from "../core/clock";
import { createSessionStore } from "./auth/session";
import { createLoginThrottle } from "./auth/throttle";
import type { AppDeps, Web } from "./deps";
import { errorHandler } from "./errors";
import { healthz } from "./machine/healthz";
import { metrics } from "./machine/metrics";
import { readyz } from "./machine/readyz";
import { storageGate } from "./machine/storage-gate";
import { aboutRoutes } from "./pages/about/routes";
import { exportRoutes } from "./pages/export/routes";
import { homeRoutes } from "./pages/home/routes";
import { loginRoutes } from "./pages/login/routes";
import { logsRoutes } from "./pages/logs/routes";
import { passengersRoutes } from "./pages/passengers/routes";
import { peekRoutes } from "./pages/peek/routes";
import { queueRoutes } from "./pages/queue/routes";
import { pluginReportRoutes } from "./pages/reports/plugin-routes";
import { reportsRoutes } from "./pages/reports/routes";
import { systemRoutes } from "./pages/system/routes";
import { usersRoutes } from "./pages/users/routes";
import { clientsRoutes } from "./pages/customizing/clients-routes";
import { customizingRoutes } from "./pages/customizing/routes";
import { securityHeaders } from "./security-headers";
import { staticAssets } from "./static";

export type { AppDeps } from "./deps";

export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock;
  const web: Web = {
    db: deps.db,
    dispatcher: deps.dispatcher,
    clock,
    site: { alias: deps.settings.alias, version: deps.version, home: deps.settings.home ?? null },
    sessions: createSessionStore(clock),
    throttle: createLoginThrottle(clock),
    requestShutdown: deps.requestShutdown ?? null,
    openCopyTarget: deps.openCopyTarget ?? null,
    reports: deps.reports ?? null,
  };
  return new Elysia()
    .use(securityHeaders())
    .use(errorHandler(web))
    .use(html({ contentType: "text/html; charset=utf-8" }))
    .use(staticAssets())
    .use(healthz())
    .use(readyz(web))
    .use(metrics(web, deps.settings.metricsToken ?? null))
    .use(storageGate(web))
    .use(loginRoutes(web))
    .use(homeRoutes(web))
    .use(passengersRoutes(web))
    .use(peekRoutes(web))
    .use(systemRoutes(web))
    .use(aboutRoutes(web))
    .use(queueRoutes(web))
    .use(logsRoutes(web))
    .use(reportsRoutes(web))
    .use(pluginReportRoutes(web))
    .use(usersRoutes(web))
    .use(customizingRoutes(web))
    .use(clientsRoutes(web))
    .use(exportRoutes(web));
}
