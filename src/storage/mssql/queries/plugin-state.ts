/**
 * SQL for plugin key-value state. Inputs: client id, driver (plugin) name, key, the value as JSON text.
 * Outputs: `{ value }[]` on read. Result codes: none; a missing key is an empty result.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Sql } from "../connection";
import { pluginState } from "../schema";

/** → `{ value }[]` (0 or 1 row). */
export const selectState = (db: Sql, client: string, driver: string, key: string) =>
  db
    .select({ value: pluginState.value })
    .from(pluginState)
    .where(and(eq(pluginState.client, client), eq(pluginState.driver, driver), eq(pluginState.key, key)));

/** Insert or replace in one statement; holdlock keeps two writers from both inserting the key. */
export const upsertState = (_db: Sql, client: string, driver: string, key: string, value: string) => sql`
merge ${pluginState} with (holdlock) as target
using (select ${client} as client, ${driver} as driver, ${key} as [key], ${value} as value) as source
on target.[client] = source.client and target.[driver] = source.driver and target.[key] = source.[key]
when matched then update set [value] = source.value
when not matched then insert ([client], [driver], [key], [value]) values (source.client, source.driver, source.[key], source.value);`;

export const deleteState = (db: Sql, client: string, driver: string, key: string) =>
  db.delete(pluginState).where(and(eq(pluginState.client, client), eq(pluginState.driver, driver), eq(pluginState.key, key)));
