/**
 * Plugin key-value state: one `plugin_state` row per client, driver and key, the value as JSON text.
 * Inputs: client (checked here), driver name (validated here), key, value. Outputs: the parsed value or
 * undefined. Errors: DBUS_WEB_BAD_INPUT (not a plugin name), DBUS_STO_DISK_FULL.
 */
import { and, eq } from "drizzle-orm";
import { DatabusError } from "../../core/errors";
import { isDriverName } from "../../core/ids";
import type { Clients } from "./clients";
import type { Connection } from "./connection";
import { pluginState as state } from "./schema";

export class PluginState {
  constructor(
    private conn: Connection,
    private clients: Clients,
  ) {}

  get(client: string, driver: string, key: string): unknown {
    this.check(client, driver);
    const row = this.conn.guard(() =>
      this.conn.db
        .select({ value: state.value })
        .from(state)
        .where(and(eq(state.client, client), eq(state.driver, driver), eq(state.key, key)))
        .get(),
    );
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  /** Stored as JSON: what comes back is what JSON.stringify keeps (no functions, Dates as text). */
  set(client: string, driver: string, key: string, value: unknown): void {
    this.check(client, driver);
    const where = and(eq(state.client, client), eq(state.driver, driver), eq(state.key, key));
    const text = value === undefined ? undefined : JSON.stringify(value);
    this.conn.write(() => {
      if (text === undefined) this.conn.db.delete(state).where(where).run();
      else this.conn.db.insert(state).values({ client, driver, key, value: text }).onConflictDoUpdate({ target: [state.client, state.driver, state.key], set: { value: text } }).run();
    });
  }

  private check(client: string, driver: string): void {
    this.clients.assertKnown(client);
    if (!isDriverName(driver)) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "driver", problem: `\`${driver}\` is not a plugin name` });
  }
}
