/**
 * While the store is not reachable yet (SQL Server down at start), pages that need it answer 503 with
 * the engine's status line instead of failing one by one. What works without the store stays open:
 * the machine endpoints, assets, the login form, About, and System (root sees the engine status there).
 */
import { Elysia } from "elysia";
import { DatabusError } from "../../core/errors";
import type { Database } from "../../storage/database";
import type { Web } from "../deps";

const OPEN_PATHS = new Set(["/healthz", "/readyz", "/metrics", "/favicon.svg", "/about", "/logout", "/system", "/system/pause", "/system/resume", "/system/shutdown"]);

/** True for requests served without the store. POST /login reads users, so only the form is open. */
export function isOpenWithoutStore(method: string, path: string): boolean {
  if (OPEN_PATHS.has(path) || path.startsWith("/static/")) return true;
  return path === "/login" && (method === "GET" || method === "HEAD");
}

/** Raises DBUS_STO_NOT_READY (503) with the engine's status line while the store is not ready. */
export function assertStoreReady(db: Database): void {
  const status = db.status();
  if (!status.ready) throw new DatabusError("DBUS_STO_NOT_READY", { engine: db.engine, status: status.text });
}

export function storageGate(web: Web) {
  return new Elysia().onBeforeHandle({ as: "global" }, ({ request }) => {
    if (!isOpenWithoutStore(request.method, new URL(request.url).pathname)) assertStoreReady(web.db);
  });
}
