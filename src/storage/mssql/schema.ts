/**
 * The SQL Server schema (DESIGN §6): one table per kind of record, every row keyed by its client.
 * Flat table of definitions by design. Migrations are generated from this file by drizzle-kit
 * (`npx drizzle-kit generate --config drizzle.mssql.config.ts`); never edit them by hand.
 * Times are ISO-8601 UTC strings (`2025-01-02T03:04:05.678Z`), so they sort as text and round-trip exactly.
 */
import { bit, index, int, mssqlTable, nvarchar, primaryKey, uniqueIndex, varbinary, varchar } from "drizzle-orm/mssql-core";

const clientId = () => varchar({ length: 32 }).notNull();
const isoTime = (name?: string) => (name ? varchar(name, { length: 32 }) : varchar({ length: 32 }));

/** One row per client; the config text exactly as stored (users live inside it, as in config.json). */
export const clients = mssqlTable("clients", {
  id: varchar({ length: 32 }).primaryKey(),
  configText: nvarchar("config_text", { length: "max" }).notNull(),
  createdAt: isoTime("created_at").notNull(),
});

export const configBackups = mssqlTable(
  "config_backups",
  {
    client: clientId(),
    id: varchar({ length: 48 }).notNull(),
    at: isoTime().notNull(),
    text: nvarchar({ length: "max" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.id] })],
);

export const clientFiles = mssqlTable(
  "client_files",
  {
    client: clientId(),
    name: nvarchar({ length: 200 }).notNull(),
    text: nvarchar({ length: "max" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.name] })],
);

/**
 * Queue entries. `state` and `dueAt` are derived from the steps on every write (core/queue-entry.ts),
 * so lists, counts and the due list are index seeks. `dueAt` is null when no step is due ever again.
 */
export const queueEntries = mssqlTable(
  "queue_entries",
  {
    client: clientId(),
    id: varchar({ length: 64 }).notNull(),
    definition: nvarchar({ length: 200 }).notNull(),
    externalId: nvarchar("external_id", { length: 400 }).notNull(),
    sourceSystem: nvarchar("source_system", { length: 200 }).notNull(),
    pulledAt: isoTime("pulled_at").notNull(),
    puller: nvarchar({ length: 200 }).notNull(),
    payload: nvarchar({ length: "max" }).notNull(),
    logIds: nvarchar("log_ids", { length: "max" }).notNull(),
    seatedAt: isoTime("seated_at").notNull(),
    completedAt: isoTime("completed_at"),
    state: varchar({ length: 10 }).notNull(),
    dueAt: isoTime("due_at"),
    /** The instance that last changed a step (multi-instance console). */
    instanceId: nvarchar("instance_id", { length: 100 }),
  },
  (t) => [
    primaryKey({ columns: [t.client, t.id] }),
    // Dedupe on seat: a second insert of the same source item fails with 2627/2601.
    uniqueIndex("queue_entries_dedupe").on(t.client, t.sourceSystem, t.externalId),
    index("queue_entries_seated").on(t.client, t.seatedAt, t.id),
    index("queue_entries_definition_state").on(t.client, t.definition, t.state, t.completedAt),
    index("queue_entries_due").on(t.client, t.definition, t.dueAt),
  ],
);

export const stepStatuses = mssqlTable(
  "step_statuses",
  {
    client: clientId(),
    entryId: varchar("entry_id", { length: 64 }).notNull(),
    position: int().notNull(),
    kind: varchar({ length: 10 }).notNull(),
    name: nvarchar({ length: 200 }).notNull(),
    state: varchar({ length: 10 }).notNull(),
    attempts: int().notNull(),
    lastError: nvarchar("last_error", { length: "max" }),
    nextAttemptAt: isoTime("next_attempt_at"),
    updatedAt: isoTime("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.entryId, t.position] })],
);

export const attachments = mssqlTable(
  "attachments",
  {
    client: clientId(),
    entryId: varchar("entry_id", { length: 64 }).notNull(),
    position: int().notNull(),
    name: nvarchar({ length: 200 }).notNull(),
    mediaType: nvarchar("media_type", { length: 200 }).notNull(),
    size: int().notNull(),
    isText: bit("is_text").notNull(),
    content: varbinary({ length: "max" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.entryId, t.position] }), uniqueIndex("attachments_name").on(t.client, t.entryId, t.name)],
);

export const logs = mssqlTable(
  "logs",
  {
    client: clientId(),
    id: varchar({ length: 64 }).notNull(),
    origin: varchar({ length: 10 }).notNull(),
    at: isoTime().notNull(),
    title: nvarchar({ length: 400 }).notNull(),
    definition: nvarchar({ length: 200 }),
    level: varchar({ length: 10 }).notNull(),
    entriesCount: int("entries_count").notNull(),
    finishedAt: isoTime("finished_at"),
    /** RunCounts as JSON, null until the run finishes. */
    counts: nvarchar({ length: 400 }),
    /** The instance that ran it (host:pid or --instance); null for console logs and older rows. */
    instanceId: nvarchar("instance_id", { length: 100 }),
  },
  (t) => [primaryKey({ columns: [t.client, t.id] }), index("logs_at").on(t.client, t.at, t.id)],
);

export const logEntries = mssqlTable(
  "log_entries",
  {
    client: clientId(),
    logId: varchar("log_id", { length: 64 }).notNull(),
    seq: int().notNull(),
    at: isoTime().notNull(),
    level: varchar({ length: 10 }).notNull(),
    source: nvarchar({ length: 200 }).notNull(),
    message: nvarchar({ length: "max" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.logId, t.seq] })],
);

export const pluginState = mssqlTable(
  "plugin_state",
  {
    client: clientId(),
    driver: nvarchar({ length: 200 }).notNull(),
    key: nvarchar({ length: 400 }).notNull(),
    value: nvarchar({ length: "max" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.driver, t.key] })],
);

/** Run leases: one row per leased resource (e.g. `acme/passenger_1`); every write checks the token. */
export const leases = mssqlTable("leases", {
  resource: nvarchar({ length: 300 }).primaryKey(),
  instanceId: nvarchar("instance_id", { length: 100 }).notNull(),
  token: varchar({ length: 64 }).notNull(),
  expiresAt: isoTime("expires_at").notNull(),
});
