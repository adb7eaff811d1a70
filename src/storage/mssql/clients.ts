/**
 * Clients, their config text (kept exactly as written, plain passwords hashed away), config backups,
 * client files, and the users kept inside the config text (as json/ keeps them in config.json).
 * Every config change is one transaction holding an update lock on the client row.
 */
import { DatabusError } from "../../core/errors";
import { isClientId } from "../../core/ids";
import { iso, type Clock } from "../../core/clock";
import type { User } from "../../core/users";
import { hashPlainPasswords, usersOf, withoutUser, withUser } from "../config-users";
import type { ConfigBackup } from "../database";
import type { Sql } from "./connection";
import { isDuplicateKey } from "./errors";
import * as q from "./queries/clients";
import type { Session } from "./session";

export class Clients {
  constructor(
    private session: Session,
    private clock: Clock,
  ) {}

  async list(): Promise<string[]> {
    return (await this.session.run((db) => q.selectClientIds(db))).map((r) => r.id);
  }

  async create(client: string, configText: string): Promise<void> {
    if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
    const text = (await hashPlainPasswords(configText)) ?? configText;
    try {
      await this.session.run((db) => q.insertClient(db, client, text, this.now()));
    } catch (e) {
      if (isDuplicateKey((e as { cause?: unknown }).cause ?? e)) throw new DatabusError("DBUS_CFG_CLIENT_EXISTS", { client });
      throw e;
    }
  }

  async delete(client: string): Promise<void> {
    await this.session.assertKnown(client);
    await this.session.transaction(async (tx) => {
      for (const stmt of q.deleteClientRows(tx, client)) await stmt;
    });
  }

  async readConfig(client: string, db?: Sql): Promise<string> {
    if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
    const rows = db ? await q.selectConfigText(db, client, true) : await this.session.run((d) => q.selectConfigText(d, client));
    const row = rows[0];
    if (!row) throw new DatabusError("DBUS_CFG_CLIENT_NOT_FOUND", { client });
    return row.configText;
  }

  writeConfig(client: string, text: string): Promise<void> {
    return this.editConfig(client, () => text);
  }

  /** Read-modify-write under the row's update lock: the previous text becomes a backup; `undefined` = no change. */
  async editConfig(client: string, edit: (text: string) => string | undefined): Promise<void> {
    const proposed = new Map<string, string>();
    await this.session.transaction(async (tx) => {
      const old = await this.readConfig(client, tx);
      const next = edit(old);
      if (next === undefined) return;
      // Hashing is slow (argon2id); one hash per distinct text even if the transaction body reruns.
      const text = proposed.get(next) ?? (await hashPlainPasswords(next)) ?? next;
      proposed.set(next, text);
      if (text === old) return;
      await this.writeBackup(tx, client, old);
      await q.updateConfigText(tx, client, text);
    });
  }

  /** Rewrites the config without its plain passwords. No backup: it would keep the plain text. */
  async hashStoredPasswords(client: string): Promise<void> {
    const text = await this.readConfig(client);
    if ((await hashPlainPasswords(text)) === undefined) return;
    await this.session.transaction(async (tx) => {
      const current = await this.readConfig(client, tx);
      const hashed = await hashPlainPasswords(current);
      if (hashed !== undefined) await q.updateConfigText(tx, client, hashed);
    });
  }

  async listBackups(client: string): Promise<ConfigBackup[]> {
    await this.session.assertKnown(client);
    return this.session.run((db) => q.selectBackups(db, client));
  }

  async readBackup(client: string, backupId: string): Promise<string> {
    await this.session.assertKnown(client);
    const row = (await this.session.run((db) => q.selectBackup(db, client, backupId)))[0];
    if (!row) throw new DatabusError("DBUS_CFG_BACKUP_NOT_FOUND", { client, backup: backupId });
    return row.text;
  }

  async purgeBackups(client: string, beforeIso: string): Promise<number> {
    return (await this.session.run((db) => q.deleteBackupsBefore(db, client, beforeIso))).length;
  }

  async listFiles(client: string): Promise<string[]> {
    await this.session.assertKnown(client);
    return (await this.session.run((db) => q.selectFileNames(db, client))).map((r) => r.name);
  }

  async readFile(client: string, name: string): Promise<string | undefined> {
    await this.session.assertKnown(client);
    return (await this.session.run((db) => q.selectFile(db, client, name)))[0]?.text;
  }

  async writeFile(client: string, name: string, text: string): Promise<void> {
    await this.session.assertKnown(client);
    await this.session.run((db) => db.execute(q.upsertFile(db, client, name, text)));
  }

  // Users live in the config text, so the text stays the one source (as config.json does for json/).

  async listUsers(client: string): Promise<User[]> {
    await this.hashStoredPasswords(client);
    return usersOf(client, await this.readConfig(client));
  }

  putUser(client: string, user: User): Promise<void> {
    return this.editConfig(client, (text) => withUser(client, text, user));
  }

  deleteUser(client: string, username: string): Promise<void> {
    return this.editConfig(client, (text) => withoutUser(client, text, username));
  }

  /** Backup ids are the time of the change; a counter keeps two changes in one millisecond apart. */
  private async writeBackup(tx: Sql, client: string, text: string): Promise<void> {
    const at = this.now();
    const base = at.replaceAll(":", "-");
    const taken = new Set((await q.selectBackupIdsLike(tx, client, base)).map((r) => r.id));
    let id = base;
    for (let n = 1; taken.has(id); n++) id = `${base}~${n}`;
    await q.insertBackup(tx, client, id, at, text);
  }

  private now(): string {
    return iso(this.clock.now());
  }
}
