/**
 * Users, kept in the client's config.json `users[]`: read, add/replace, delete. The text handling
 * (and the one-time hashing of plain-text passwords) is shared by every engine: storage/config-users.ts.
 * Fails closed: a config whose users cannot be read raises instead of looking like "no users".
 */
import type { User } from "../../core/users";
import { usersOf, withoutUser, withUser } from "../config-users";
import type { Clients } from "./clients";


export class Users {
  constructor(private clients: Clients) {}

  /** Users with a password hash. Plain passwords still in the file are hashed (and the file rewritten) first. */
  async list(client: string): Promise<User[]> {
    await this.clients.hashStoredPasswords(client);
    return usersOf(client, await this.clients.readConfig(client));
  }

  async put(client: string, user: User): Promise<void> {
    await this.clients.editConfig(client, (text) => withUser(client, text, user));
  }

  async delete(client: string, username: string): Promise<void> {
    await this.clients.editConfig(client, (text) => withoutUser(client, text, username));
  }
}
