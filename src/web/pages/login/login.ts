/**
 * Checking a login: the same DBUS_AUTH_LOGIN_FAILED for a wrong client, user or password, so the form
 * never tells which clients or users exist. A client with no users lets anyone in as administrator.
 */
import { DatabusError, isDatabusError } from "../../../core/errors";
import { isClientId } from "../../../core/ids";
import { isUsername } from "../../../core/users";
import type { Database } from "../../../storage/database";
import type { NewSession } from "../../auth/session";

export interface LoginInput {
  client: string;
  username: string;
  password: string;
}

// Verified when the user does not exist, so a wrong user name costs as long as a wrong password.
let decoyHash: Promise<string> | undefined;
const decoy = (): Promise<string> => (decoyHash ??= Bun.password.hash("databus-decoy", { algorithm: "argon2id" }));

/** The session to create, or DBUS_AUTH_LOGIN_FAILED. */
export async function checkLogin(db: Database, input: LoginInput): Promise<NewSession> {
  const failed = () => new DatabusError("DBUS_AUTH_LOGIN_FAILED", {});
  if (!isClientId(input.client) || !isUsername(input.username)) throw failed();
  const users = await usersOf(db, input.client);
  if (users === undefined) {
    await Bun.password.verify(input.password || "-", await decoy());
    throw failed();
  }
  if (users.length === 0) return { client: input.client, username: input.username, role: "administrator", authOff: true };
  const user = users.find((u) => u.username === input.username);
  const ok = await Bun.password.verify(input.password || "-", user?.password_hash ?? (await decoy()));
  if (!user || !ok) throw failed();
  return { client: input.client, username: user.username, role: user.role, authOff: false };
}

/** The client's users, or undefined when there is no such client. */
async function usersOf(db: Database, client: string) {
  if (!(await db.listClients()).includes(client)) return undefined;
  try {
    return await db.listUsers(client);
  } catch (e) {
    // Deleted between the two calls: the same answer as a client that never existed.
    if (isDatabusError(e, "DBUS_CFG_CLIENT_NOT_FOUND")) return undefined;
    throw e;
  }
}
