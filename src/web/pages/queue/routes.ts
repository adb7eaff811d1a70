/** Queue: the list, the entry pages with their actions and downloads, and the bulk actions. */
import { Elysia } from "elysia";
import type { Web } from "../../deps";
import { bulkRoutes } from "./bulk-routes";
import { entryRoutes } from "./entry-routes";
import { listRoutes } from "./list-routes";

// Each part resolves the viewer itself (resolveClient is scoped), so nothing is resolved twice.
export function queueRoutes(web: Web) {
  return new Elysia().use(listRoutes(web)).use(bulkRoutes(web)).use(entryRoutes(web));
}
