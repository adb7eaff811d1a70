/**
 * SQL for clients, config texts, config backups and client files.
 * Inputs: client id (validated by the caller), texts, ISO times. Outputs: rows as typed below.
 * Result codes: none here; missing rows are empty results, mapped to DBUS_CFG_* by ../clients.ts.
 * Native failures (unreachable, disk full) are mapped by ../errors.ts.
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Sql } from "../connection";
import { attachments, clientFiles, clients, configBackups, leases, logEntries, logs, pluginState, queueEntries, stepStatuses } from "../schema";

/** → `{ id }[]`, sorted by id. */
export const selectClientIds = (db: Sql) => db.select({ id: clients.id }).from(clients).orderBy(clients.id);

/** → `{ id }[]` (0 or 1 row). */
export const selectClientExists = (db: Sql, client: string) => db.select({ id: clients.id }).from(clients).where(eq(clients.id, client));

/** → `{ configText }[]` (0 or 1 row). With `lock`, holds an update lock until the transaction ends. */
export const selectConfigText = (db: Sql, client: string, lock = false) =>
  db
    .select({ configText: sql<string>`${clients.configText}` })
    .from(lock ? sql`${clients} with (updlock, holdlock)` : clients)
    .where(eq(clients.id, client));

/** Inserts the client row; a second insert of the same id fails with 2627 (→ DBUS_CFG_CLIENT_EXISTS). */
export const insertClient = (db: Sql, client: string, configText: string, at: string) =>
  db.insert(clients).values({ id: client, configText, createdAt: at });

/** → `{ id }[]`: one row when the client exists. */
export const updateConfigText = (db: Sql, client: string, configText: string) =>
  db.update(clients).set({ configText }).output({ inserted: { id: clients.id } }).where(eq(clients.id, client));

export const insertBackup = (db: Sql, client: string, id: string, at: string, text: string) =>
  db.insert(configBackups).values({ client, id, at, text });

/** → `{ id }[]` of backups whose id starts with `prefix` (to keep two backups of one millisecond apart). */
export const selectBackupIdsLike = (db: Sql, client: string, prefix: string) =>
  db
    .select({ id: configBackups.id })
    .from(configBackups)
    .where(and(eq(configBackups.client, client), sql`${configBackups.id} like ${`${prefix}%`}`));

/** → `{ id, at }[]`, newest first. */
export const selectBackups = (db: Sql, client: string) =>
  db
    .select({ id: configBackups.id, at: configBackups.at })
    .from(configBackups)
    .where(eq(configBackups.client, client))
    .orderBy(desc(configBackups.at), desc(configBackups.id));

/** → `{ text }[]` (0 or 1 row). */
export const selectBackup = (db: Sql, client: string, id: string) =>
  db
    .select({ text: configBackups.text })
    .from(configBackups)
    .where(and(eq(configBackups.client, client), eq(configBackups.id, id)));

/** → `{ id }[]` of the backups deleted. */
export const deleteBackupsBefore = (db: Sql, client: string, beforeIso: string) =>
  db
    .delete(configBackups)
    .output({ id: configBackups.id })
    .where(and(eq(configBackups.client, client), lt(configBackups.at, beforeIso)));

/** → `{ name }[]`, sorted by name. */
export const selectFileNames = (db: Sql, client: string) =>
  db.select({ name: clientFiles.name }).from(clientFiles).where(eq(clientFiles.client, client)).orderBy(clientFiles.name);

/** → `{ text }[]` (0 or 1 row). */
export const selectFile = (db: Sql, client: string, name: string) =>
  db
    .select({ text: clientFiles.text })
    .from(clientFiles)
    .where(and(eq(clientFiles.client, client), eq(clientFiles.name, name)));

/** Insert or replace one file in one statement; holdlock keeps two writers from both inserting. */
export const upsertFile = (_db: Sql, client: string, name: string, text: string) => sql`
merge ${clientFiles} with (holdlock) as target
using (select ${client} as client, ${name} as name, ${text} as text) as source
on target.[client] = source.client and target.[name] = source.name
when matched then update set [text] = source.text
when not matched then insert ([client], [name], [text]) values (source.client, source.name, source.text);`;

/** Every delete a client's removal needs, children first; run in one transaction. */
export const deleteClientRows = (db: Sql, client: string) => [
  db.delete(attachments).where(eq(attachments.client, client)),
  db.delete(stepStatuses).where(eq(stepStatuses.client, client)),
  db.delete(queueEntries).where(eq(queueEntries.client, client)),
  db.delete(logEntries).where(eq(logEntries.client, client)),
  db.delete(logs).where(eq(logs.client, client)),
  db.delete(pluginState).where(eq(pluginState.client, client)),
  db.delete(clientFiles).where(eq(clientFiles.client, client)),
  db.delete(configBackups).where(eq(configBackups.client, client)),
  db.delete(leases).where(sql`${leases.resource} like ${`${client.replaceAll("_", "[_]")}/%`}`),
  db.delete(clients).where(eq(clients.id, client)),
];
