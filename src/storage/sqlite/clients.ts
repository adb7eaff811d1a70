/**
 * Clients, their config text (kept exactly as written, plain passwords hashed away), config backups
 * and the external config files drivers read.
 *
 * Tables: clients, config_backups, client_files. Inputs are client ids (validated here), config text,
 * backup ids, file names. Errors: DBUS_CFG_BAD_CLIENT_ID, DBUS_CFG_CLIENT_NOT_FOUND,
 * DBUS_CFG_CLIENT_EXISTS, DBUS_CFG_BACKUP_NOT_FOUND, DBUS_WEB_BAD_INPUT (file name),
 * DBUS_STO_CONFLICT (another instance changed the config meanwhile), DBUS_STO_DISK_FULL.
 */
import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import { iso, type Clock } from "../../core/clock";
import { DatabusError } from "../../core/errors";
import { isClientId } from "../../core/ids";
import { attachmentNameProblem } from "../../core/passenger";
import { hashPlainPasswords } from "../config-users";
import type { ConfigBackup } from "../database";
import type { Connection } from "./connection";
import { KeyedLock } from "./keyed-lock";
import { clientFiles, clients, configBackups } from "./schema";

export class Clients {
  readonly locks = new KeyedLock();

  constructor(
    private conn: Connection,
    private clock: Clock,
  ) {}

  /** Raises DBUS_CFG_BAD_CLIENT_ID or DBUS_CFG_CLIENT_NOT_FOUND; every client-scoped call starts here. */
  assertKnown(client: string): void {
    if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
    // Raw SQL through bun:sqlite's statement cache: every read and write of a run starts here, and
    // drizzle's builder cost ten times SQLite's own lookup (a tenth of a 10,000-passenger sqlite run).
    const row = this.conn.guard(() => this.conn.client.query("SELECT 1 AS found FROM clients WHERE id = ?").get(client));
    if (!row) throw new DatabusError("DBUS_CFG_CLIENT_NOT_FOUND", { client });
  }

  list(): string[] {
    return this.conn.guard(() => this.conn.db.select({ id: clients.id }).from(clients).orderBy(asc(clients.id)).all()).map((r) => r.id);
  }

  async create(client: string, configText: string): Promise<void> {
    if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
    const text = (await hashPlainPasswords(configText)) ?? configText;
    const createdAt = iso(this.clock.now());
    this.conn.write(() => {
      const exists = this.conn.db.select({ id: clients.id }).from(clients).where(eq(clients.id, client)).get();
      if (exists) throw new DatabusError("DBUS_CFG_CLIENT_EXISTS", { client });
      this.conn.db.insert(clients).values({ id: client, configText: text, createdAt }).run();
    });
  }

  /** Deletes the client; foreign keys cascade to its queue, attachments, logs, state and files. */
  delete(client: string): void {
    this.assertKnown(client);
    this.conn.write(() => this.conn.db.delete(clients).where(eq(clients.id, client)).run());
  }

  readConfig(client: string): string {
    if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
    const row = this.conn.guard(() =>
      this.conn.db.select({ text: clients.configText }).from(clients).where(eq(clients.id, client)).get(),
    );
    if (!row) throw new DatabusError("DBUS_CFG_CLIENT_NOT_FOUND", { client });
    return row.text;
  }

  writeConfig(client: string, text: string): Promise<void> {
    return this.editConfig(client, () => text);
  }

  /**
   * Read-modify-write of the config, one at a time per client: the previous text becomes a backup,
   * plain passwords are hashed. `edit` returning undefined means "no change". The write checks that
   * the text is still the one read (another instance may share the file).
   */
  editConfig(client: string, edit: (text: string) => string | undefined, options: { backup?: boolean } = {}): Promise<void> {
    return this.locks.run(`cfg:${client}`, async () => {
      const old = this.readConfig(client);
      const next = edit(old);
      if (next === undefined) return;
      const text = (await hashPlainPasswords(next)) ?? next;
      if (text === old) return;
      this.conn.write(() => {
        const now = this.readConfig(client);
        if (now !== old) throw new DatabusError("DBUS_STO_CONFLICT", { what: `The configuration of client ${client}` });
        if (options.backup !== false) this.insertBackup(client, old);
        this.conn.db.update(clients).set({ configText: text }).where(eq(clients.id, client)).run();
      });
    });
  }

  /** Rewrites the config without its plain passwords. No backup: it would keep the plain text. */
  hashStoredPasswords(client: string): Promise<void> {
    return this.editConfig(client, (text) => text, { backup: false });
  }

  listBackups(client: string): ConfigBackup[] {
    this.assertKnown(client);
    return this.conn.guard(() =>
      this.conn.db
        .select({ id: configBackups.id, at: configBackups.at })
        .from(configBackups)
        .where(eq(configBackups.client, client))
        .orderBy(desc(configBackups.at), desc(sql`rowid`))
        .all(),
    );
  }

  readBackup(client: string, backupId: string): string {
    this.assertKnown(client);
    const row = this.conn.guard(() =>
      this.conn.db
        .select({ text: configBackups.text })
        .from(configBackups)
        .where(and(eq(configBackups.client, client), eq(configBackups.id, backupId)))
        .get(),
    );
    if (!row) throw new DatabusError("DBUS_CFG_BACKUP_NOT_FOUND", { client, backup: backupId });
    return row.text;
  }

  /** Deletes backups taken before the cutoff; returns how many. */
  purgeBackups(client: string, beforeIso: string): number {
    this.assertKnown(client);
    const result = this.conn.write(() =>
      this.conn.db.delete(configBackups).where(and(eq(configBackups.client, client), lt(configBackups.at, beforeIso))).run(),
    );
    return result.changes;
  }

  listFiles(client: string): string[] {
    this.assertKnown(client);
    return this.conn
      .guard(() => this.conn.db.select({ name: clientFiles.name }).from(clientFiles).where(eq(clientFiles.client, client)).orderBy(asc(clientFiles.name)).all())
      .map((r) => r.name);
  }

  readFile(client: string, name: string): string | undefined {
    this.assertKnown(client);
    const row = this.conn.guard(() =>
      this.conn.db
        .select({ text: clientFiles.text })
        .from(clientFiles)
        .where(and(eq(clientFiles.client, client), eq(clientFiles.name, name)))
        .get(),
    );
    return row?.text;
  }

  writeFile(client: string, name: string, text: string): void {
    this.assertKnown(client);
    const problem = attachmentNameProblem(name);
    if (problem) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "file name", problem: `it ${problem}` });
    this.conn.write(() =>
      this.conn.db
        .insert(clientFiles)
        .values({ client, name, text })
        .onConflictDoUpdate({ target: [clientFiles.client, clientFiles.name], set: { text } })
        .run(),
    );
  }

  /** Backup ids are the time of the change (as the json engine names them); a counter keeps two in one millisecond apart. */
  private insertBackup(client: string, text: string): void {
    const at = iso(this.clock.now());
    const base = at.replaceAll(":", "-");
    const taken = (id: string) =>
      this.conn.db
        .select({ id: configBackups.id })
        .from(configBackups)
        .where(and(eq(configBackups.client, client), eq(configBackups.id, id)))
        .get() !== undefined;
    let id = base;
    for (let n = 1; taken(id); n++) id = `${base}~${n}`;
    this.conn.db.insert(configBackups).values({ client, id, at, text }).run();
  }
}
