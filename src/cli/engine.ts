/** Chooses and creates the storage engine named by --engine. */
import { join } from "node:path";
import { DatabusError } from "../core/errors";
import type { PluginRegistry } from "../plugins/registry";
import type { Settings } from "../settings/schema";
import type { Database } from "../storage/database";
import { createJsonDatabase } from "../storage/json/index";
import { createMssqlDatabase } from "../storage/mssql/index";
import { createSqliteDatabase } from "../storage/sqlite/index";

export function createEngine(settings: Settings, registry: PluginRegistry): Database {
  if (settings.engine === "json") return createJsonDatabase(join(settings.home, "data"));
  if (settings.engine === "mssql") return createMssqlDatabase(settings.mssqlUrl ?? "");
  if (settings.engine === "sqlite") return createSqliteDatabase(join(settings.home, "data", "databus.sqlite"));
  if (settings.engine.startsWith("plugins/")) {
    const name = settings.engine.slice("plugins/".length);
    const plugin = registry.get(name);
    if (plugin?.status === "loaded" && plugin.kind === "database") return new plugin.cls(settings) as Database;
    if (plugin?.status === "broken") throw plugin.error;
  }
  throw new DatabusError("DBUS_STO_UNKNOWN_ENGINE", { engine: settings.engine });
}
