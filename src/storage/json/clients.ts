/**
 * Clients, their config text (kept exactly as written, plain passwords hashed away), config
 * backups and the external config files drivers read. All config writes of one client are serialised.
 */
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { DatabusError } from "../../core/errors";
import { isClientId } from "../../core/ids";
import { iso, type Clock } from "../../core/clock";
import type { ConfigBackup } from "../database";
import { listNames, readTextOrUndefined, removeTree, syncDir, tempName, writeAtomic, writeDurable, writeFailure } from "./files";
import { CONFIG_FILE, fileTime, parseBackupFileName, type Layout } from "./layout";
import type { Serial } from "./serial";
import { hashPlainPasswords } from "../config-users";

export class Clients {
  private known = new Set<string>();

  constructor(
    private layout: Layout,
    private clock: Clock,
    private serial: Serial,
  ) {}

  /**
   * open(): finds the clients and hashes plain passwords (not when read-only: `databus check`
   * beside a running instance must change nothing). A config that is not JSON is left alone.
   */
  async load(options: { readOnly?: boolean } = {}): Promise<string[]> {
    for (const name of await listNames(this.layout.clientsDir)) {
      if (!isClientId(name)) continue;
      if ((await readTextOrUndefined(join(this.layout.clientDir(name), CONFIG_FILE))) === undefined) continue;
      this.known.add(name);
      if (!options.readOnly) await this.hashStoredPasswords(name);
    }
    return this.list();
  }

  list(): string[] {
    return [...this.known].sort();
  }

  /** Raises DBUS_CFG_BAD_CLIENT_ID or DBUS_CFG_CLIENT_NOT_FOUND; every client-scoped call starts here. */
  assertKnown(client: string): void {
    if (this.known.has(client)) return; // known ids were checked when they became known
    this.layout.clientDir(client);
    if (!this.known.has(client)) throw new DatabusError("DBUS_CFG_CLIENT_NOT_FOUND", { client });
  }

  /** The client folder is built under a temp name and renamed into place, so it appears complete. */
  async create(client: string, configText: string): Promise<void> {
    const dir = this.layout.clientDir(client);
    await this.serial.run(`cfg:${client}`, async () => {
      if (this.known.has(client) || (await readTextOrUndefined(join(dir, CONFIG_FILE))) !== undefined)
        throw new DatabusError("DBUS_CFG_CLIENT_EXISTS", { client });
      const text = (await hashPlainPasswords(configText)) ?? configText;
      const tmp = tempName(dir);
      try {
        await mkdir(tmp, { recursive: true });
        await writeDurable(join(tmp, CONFIG_FILE), text);
        await syncDir(tmp);
        await rm(dir, { recursive: true, force: true }); // a folder without config.json is no client
        await rename(tmp, dir);
        await syncDir(this.layout.clientsDir);
      } catch (e) {
        await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
        throw writeFailure(dir, e);
      }
      this.known.add(client);
    });
  }

  async delete(client: string): Promise<void> {
    this.assertKnown(client);
    await this.serial.run(`cfg:${client}`, async () => {
      this.known.delete(client);
      await removeTree(this.layout.clientDir(client));
    });
  }

  async readConfig(client: string): Promise<string> {
    this.assertKnown(client);
    const text = await readTextOrUndefined(this.layout.configFile(client));
    if (text === undefined) throw new DatabusError("DBUS_CFG_CLIENT_NOT_FOUND", { client });
    return text;
  }

  async writeConfig(client: string, text: string): Promise<void> {
    await this.editConfig(client, () => text);
  }

  /**
   * Read-modify-write of the config under the client's lock: the previous text becomes a backup,
   * plain passwords are hashed. `edit` returning undefined means "no change".
   */
  async editConfig(client: string, edit: (text: string) => string | undefined): Promise<void> {
    this.assertKnown(client);
    await this.serial.run(`cfg:${client}`, async () => {
      const old = await this.readConfig(client);
      const next = edit(old);
      if (next === undefined) return;
      const text = (await hashPlainPasswords(next)) ?? next;
      if (text === old) return;
      await this.writeBackup(client, old);
      await writeAtomic(this.layout.configFile(client), text);
    });
  }

  /** Rewrites the config without its plain passwords. No backup: it would keep the plain text on disk. */
  async hashStoredPasswords(client: string): Promise<void> {
    await this.serial.run(`cfg:${client}`, async () => {
      const text = await readTextOrUndefined(this.layout.configFile(client));
      const hashed = text === undefined ? undefined : await hashPlainPasswords(text);
      if (hashed !== undefined) await writeAtomic(this.layout.configFile(client), hashed);
    });
  }

  async listBackups(client: string): Promise<ConfigBackup[]> {
    this.assertKnown(client);
    const backups = (await listNames(this.layout.backupDir(client))).flatMap((n) => parseBackupFileName(n) ?? []);
    return backups.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map(({ id, at }) => ({ id, at }));
  }

  async readBackup(client: string, backupId: string): Promise<string> {
    this.assertKnown(client);
    const text = await readTextOrUndefined(this.layout.backupFile(client, backupId));
    if (text === undefined) throw new DatabusError("DBUS_CFG_BACKUP_NOT_FOUND", { client, backup: backupId });
    return text;
  }

  /** Deletes backups taken before the cutoff; returns how many. */
  async purgeBackups(client: string, beforeIso: string): Promise<number> {
    const old = (await this.listBackups(client)).filter((b) => b.at < beforeIso);
    await Promise.all(old.map((b) => rm(this.layout.backupFile(client, b.id), { force: true })));
    if (old.length > 0) await syncDir(this.layout.backupDir(client));
    return old.length;
  }

  async listFiles(client: string): Promise<string[]> {
    this.assertKnown(client);
    return (await listNames(this.layout.filesDir(client))).sort();
  }

  async readFile(client: string, name: string): Promise<string | undefined> {
    this.assertKnown(client);
    return readTextOrUndefined(this.layout.clientFile(client, name));
  }

  async writeFile(client: string, name: string, text: string): Promise<void> {
    this.assertKnown(client);
    const path = this.layout.clientFile(client, name);
    await this.serial.run(`file:${client}/${name}`, async () => {
      await mkdir(this.layout.filesDir(client), { recursive: true }).catch((e) => {
        throw writeFailure(path, e);
      });
      await writeAtomic(path, text);
    });
  }

  /** Backup ids are the time of the change; a counter keeps two changes in one millisecond apart. */
  private async writeBackup(client: string, text: string): Promise<void> {
    const dir = this.layout.backupDir(client);
    await mkdir(dir, { recursive: true }).catch((e) => {
      throw writeFailure(dir, e);
    });
    const base = fileTime(iso(this.clock.now()));
    const taken = new Set(await listNames(dir));
    let id = base;
    for (let n = 1; taken.has(`${id}_config.json`); n++) id = `${base}~${n}`;
    await writeAtomic(this.layout.backupFile(client, id), text);
  }
}
