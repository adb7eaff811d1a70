/**
 * What the Users page refuses even an administrator: changing their own role or deleting
 * themselves, leaving a client without an administrator (or without users), and acting on a user
 * who is not there. Pure: the route passes the current users in.
 */
import { DatabusError } from "../../../core/errors";
import type { Role, User } from "../../../core/users";
import type { Viewer } from "../../auth/guard";

const isSelf = (viewer: Viewer, client: string, username: string): boolean => viewer.client === client && viewer.username === username;

export function findUser(client: string, users: readonly User[], username: string): User {
  const user = users.find((u) => u.username === username);
  if (!user) throw new DatabusError("DBUS_AUTH_USER_NOT_FOUND", { client, username });
  return user;
}

const otherAdmins = (users: readonly User[], username: string): number =>
  users.filter((u) => u.role === "administrator" && u.username !== username).length;

export function assertMayChangeRole(viewer: Viewer, client: string, users: readonly User[], username: string, role: Role): void {
  const user = findUser(client, users, username);
  if (user.role === role) return;
  if (isSelf(viewer, client, username)) throw new DatabusError("DBUS_AUTH_SELF_CHANGE", { action: "change the role of" });
  if (user.role === "administrator" && otherAdmins(users, username) === 0) throw new DatabusError("DBUS_AUTH_LAST_ADMIN", { client });
}

export function assertMayDelete(viewer: Viewer, client: string, users: readonly User[], username: string): void {
  const user = findUser(client, users, username);
  if (isSelf(viewer, client, username)) throw new DatabusError("DBUS_AUTH_SELF_CHANGE", { action: "delete" });
  // Deleting the last administrator would leave nobody to manage the others; deleting the last user
  // would turn authentication off for the client (anyone in as administrator). Both need the config.
  if (otherAdmins(users, username) === 0 && (user.role === "administrator" || users.length === 1))
    throw new DatabusError("DBUS_AUTH_LAST_ADMIN", { client });
}

/** A client without users has authentication off; its first user must be able to manage the rest. */
export function firstUserProblem(users: readonly User[], role: Role): string | undefined {
  return users.length === 0 && role !== "administrator" ? "must be administrator for the first user (authentication turns on with it)" : undefined;
}
