/** A client's passenger definition names, for filters; none when its config is broken (lists still work). */
import { parseClientConfig } from "../../../core/client";
import { isDatabusError } from "../../../core/errors";
import type { Database } from "../../../storage/database";

export async function definitionNames(db: Database, client: string): Promise<string[]> {
  try {
    return parseClientConfig(client, await db.readConfig(client)).passengers.map((d) => d.name);
  } catch (e) {
    if (isDatabusError(e) && e.code.startsWith("DBUS_CFG_")) return [];
    throw e;
  }
}
