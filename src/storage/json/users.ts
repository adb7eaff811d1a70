/**
 * Users, kept in the client's config.json `users[]`: read, add/replace, delete, and the one-time
 * hashing of plain-text passwords (argon2id) so they never rest on disk. Fails closed: a config whose
 * users cannot be read raises instead of looking like "no users" (which would turn login off).
 */
import { DatabusError } from "../../core/errors";
import { JsonSyntaxError, parseJsonWithPositions } from "../../core/json-source";
import { isUsername, ROLES, type Role, type User } from "../../core/users";
import type { Clients } from "./clients";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export const hashPassword = (pw: string): Promise<string> => Bun.password.hash(pw, { algorithm: "argon2id" });

/** Config text rendered the way every rewrite renders it. */
export const renderConfig = (config: unknown): string => `${JSON.stringify(config, null, 2)}\n`;

/**
 * The text with every plain `password` replaced by its `password_hash` (same place in the user
 * object), or undefined when there is nothing to hash or the text is not JSON (left for the
 * dispatcher to report).
 */
export async function hashPlainPasswords(text: string): Promise<string | undefined> {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(config) || !Array.isArray(config.users)) return undefined;
  let changed = false;
  const users = await Promise.all(
    config.users.map(async (u: unknown) => {
      if (!isObject(u) || typeof u.password !== "string" || u.password.length === 0) return u;
      changed = true;
      const hash = await hashPassword(u.password);
      const out: Json = {};
      for (const [k, v] of Object.entries(u)) {
        if (k === "password") out.password_hash = hash;
        else if (k !== "password_hash") out[k] = v;
      }
      return out;
    }),
  );
  return changed ? renderConfig({ ...config, users }) : undefined;
}

export class Users {
  constructor(private clients: Clients) {}

  /** Users with a password hash. Plain passwords still in the file are hashed (and the file rewritten) first. */
  async list(client: string): Promise<User[]> {
    await this.clients.hashStoredPasswords(client);
    const { users } = parseUsersOf(client, await this.clients.readConfig(client));
    return users.flatMap((u, i) => (u.password_hash === undefined ? [] : [toUser(client, u, i)]));
  }

  async put(client: string, user: User): Promise<void> {
    await this.clients.editConfig(client, (text) => {
      const { config, users } = parseUsersOf(client, text);
      const entry = { username: user.username, role: user.role, password_hash: user.password_hash };
      const at = users.findIndex((u) => u.username === user.username);
      const next = at < 0 ? [...users, entry] : users.map((u, i) => (i === at ? entry : u));
      return renderConfig({ ...config, users: next });
    });
  }

  async delete(client: string, username: string): Promise<void> {
    await this.clients.editConfig(client, (text) => {
      const { config, users } = parseUsersOf(client, text);
      if (!users.some((u) => u.username === username)) return undefined;
      return renderConfig({ ...config, users: users.filter((u) => u.username !== username) });
    });
  }
}

function parseUsersOf(client: string, text: string): { config: Json; users: Json[] } {
  let value: unknown;
  try {
    value = parseJsonWithPositions(text).value;
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw new DatabusError("DBUS_CFG_INVALID_JSON", { client, file: "config.json", ...e.position }, { cause: e });
  }
  const bad = (path: string, problem: string) =>
    new DatabusError("DBUS_CFG_INVALID_FIELD", { client, file: "config.json", path, problem });
  if (!isObject(value)) throw bad("(the whole file)", "must be an object");
  const users = value.users ?? [];
  if (!Array.isArray(users)) throw bad("users", "must be a list");
  users.forEach((u, i) => {
    if (!isObject(u)) throw bad(`users[${i}]`, "must be an object");
  });
  return { config: value, users: users as Json[] };
}

function toUser(client: string, u: Json, i: number): User {
  const bad = (field: string, problem: string) =>
    new DatabusError("DBUS_CFG_INVALID_FIELD", { client, file: "config.json", path: `users[${i}].${field}`, problem });
  if (typeof u.username !== "string" || !isUsername(u.username)) throw bad("username", "must be 1–64 letters, digits or . _ @ -");
  const role = u.role ?? "operator";
  if (!ROLES.includes(role as Role)) throw bad("role", `must be one of ${ROLES.join(", ")}`);
  if (typeof u.password_hash !== "string" || !u.password_hash.startsWith("$argon2"))
    throw bad("password_hash", "must be an argon2 hash (run `databus hash-password`)");
  return { username: u.username, role: role as Role, password_hash: u.password_hash };
}
