/**
 * The SQLite schema (DESIGN §6): the relational design of the mssql engine on one machine. A flat
 * table of definitions by design. Migrations are generated from this file by drizzle-kit
 * (`npx drizzle-kit generate --config drizzle.sqlite.config.ts`); never edit them by hand.
 * Times are ISO-8601 UTC strings, so they sort as text and round-trip exactly.
 */
import { sql } from "drizzle-orm";
import { blob, foreignKey, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const clientRef = () =>
  text()
    .notNull()
    .references(() => clients.id, { onDelete: "cascade" });

/** One row per client; the config text exactly as stored (users live inside it, as in config.json). */
export const clients = sqliteTable("clients", {
  id: text().primaryKey(),
  configText: text("config_text").notNull(),
  createdAt: text("created_at").notNull(),
});

export const configBackups = sqliteTable(
  "config_backups",
  {
    client: clientRef(),
    id: text().notNull(),
    at: text().notNull(),
    text: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.id] }), index("config_backups_at").on(t.client, t.at)],
);

export const clientFiles = sqliteTable(
  "client_files",
  {
    client: clientRef(),
    name: text().notNull(),
    text: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.name] })],
);

/**
 * Queue entries. The steps are one JSON column (an entry's steps are always read and written
 * together); `state`, `due_at` and `search` are derived from them and the passenger on every write,
 * so lists, counts and the due list are index range scans. `due_at` is "" when a step is pending,
 * the earliest retry of a failed step, or null when nothing is due (complete, dead).
 */
export const queueEntries = sqliteTable(
  "queue_entries",
  {
    client: clientRef(),
    id: text().notNull(),
    definition: text().notNull(),
    externalId: text("external_id").notNull(),
    sourceSystem: text("source_system").notNull(),
    pulledAt: text("pulled_at").notNull(),
    puller: text().notNull(),
    payload: text().notNull(),
    logIds: text("log_ids").notNull(),
    steps: text().notNull(),
    seatedAt: text("seated_at").notNull(),
    completedAt: text("completed_at"),
    state: text().notNull(),
    dueAt: text("due_at"),
    /** Lower-cased `external_id \n source_system`, for the text filter. */
    search: text().notNull(),
    /** The instance that last changed a step (multi-instance console). */
    instanceId: text("instance_id"),
  },
  (t) => [
    primaryKey({ columns: [t.client, t.id] }),
    // Dedupe on seat: a second insert of the same source item violates this index.
    uniqueIndex("queue_entries_dedupe").on(t.client, t.sourceSystem, t.externalId),
    index("queue_entries_seated").on(t.client, t.seatedAt, t.id),
    index("queue_entries_state").on(t.client, t.state, t.seatedAt, t.id),
    index("queue_entries_definition").on(t.client, t.definition, t.state, t.seatedAt, t.id),
    // The due list walks this in queue order and stops at its limit; complete and dead entries are not in it.
    index("queue_entries_due").on(t.client, t.definition, t.seatedAt, t.id).where(sql`due_at IS NOT NULL`),
    index("queue_entries_completed").on(t.client, t.definition, t.completedAt).where(sql`completed_at IS NOT NULL`),
  ],
);

/**
 * Entries per definition and state, kept in step with queue_entries by every queue write (same
 * transaction), so counts and unfiltered totals never scan a big queue.
 */
export const entryCounts = sqliteTable(
  "entry_counts",
  {
    client: clientRef(),
    definition: text().notNull(),
    state: text().notNull(),
    n: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.definition, t.state] })],
);

export const attachments = sqliteTable(
  "attachments",
  {
    client: text().notNull(),
    entryId: text("entry_id").notNull(),
    position: integer().notNull(),
    name: text().notNull(),
    mediaType: text("media_type").notNull(),
    size: integer().notNull(),
    isText: integer("is_text", { mode: "boolean" }).notNull(),
    content: blob({ mode: "buffer" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.client, t.entryId, t.position] }),
    uniqueIndex("attachments_name").on(t.client, t.entryId, t.name),
    foreignKey({ columns: [t.client, t.entryId], foreignColumns: [queueEntries.client, queueEntries.id] }).onDelete("cascade"),
  ],
);

export const logs = sqliteTable(
  "logs",
  {
    client: clientRef(),
    id: text().notNull(),
    origin: text().notNull(),
    at: text().notNull(),
    title: text().notNull(),
    definition: text(),
    level: text().notNull(),
    entriesCount: integer("entries_count").notNull(),
    finishedAt: text("finished_at"),
    /** RunCounts as JSON, null until the run finishes. */
    counts: text(),
    /** The instance that ran it (host:pid or --instance); null for console logs and older rows. */
    instanceId: text("instance_id"),
  },
  (t) => [
    primaryKey({ columns: [t.client, t.id] }),
    index("logs_at").on(t.client, t.at, t.id),
    index("logs_origin").on(t.client, t.origin, t.at, t.id),
    index("logs_definition").on(t.client, t.definition, t.at, t.id),
  ],
);

export const logEntries = sqliteTable(
  "log_entries",
  {
    client: text().notNull(),
    logId: text("log_id").notNull(),
    seq: integer().notNull(),
    at: text().notNull(),
    level: text().notNull(),
    source: text().notNull(),
    message: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.client, t.logId, t.seq] }),
    foreignKey({ columns: [t.client, t.logId], foreignColumns: [logs.client, logs.id] }).onDelete("cascade"),
  ],
);

export const pluginState = sqliteTable(
  "plugin_state",
  {
    client: clientRef(),
    driver: text().notNull(),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.client, t.driver, t.key] })],
);

/** Run leases: one row per leased resource (e.g. `acme/passenger_1`); every write checks the token. */
export const leases = sqliteTable("leases", {
  resource: text().primaryKey(),
  instanceId: text("instance_id").notNull(),
  token: text().notNull(),
  expiresAt: text("expires_at").notNull(),
});
