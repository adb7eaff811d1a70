/**
 * Users inside a client's config text (`users[]`), for engines that keep the config as one text
 * (the relational engines): read, add/replace, delete, and hashing of plain passwords. Pure apart from
 * the argon2id hash; mirrors json/users.ts so every engine behaves the same. Fails closed.
 */
import { DatabusError } from "../core/errors";
import { JsonSyntaxError, parseJsonWithPositions } from "../core/json-source";
import { isUsername, ROLES, type Role, type User } from "../core/users";

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export const hashPassword = (pw: string): Promise<string> => Bun.password.hash(pw, { algorithm: "argon2id" });

/** Config text rendered the way every rewrite renders it. */
export const renderConfig = (config: unknown): string => `${JSON.stringify(config, null, 2)}\n`;

/**
 * The text with every plain `password` replaced by its `password_hash`, or undefined when there is
 * nothing to hash or the text is not JSON (left for the dispatcher to report).
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

/** Users that have a password hash. Raises DBUS_CFG_INVALID_JSON / DBUS_CFG_INVALID_FIELD. */
export function usersOf(client: string, text: string): User[] {
  const { users } = parseUsersOf(client, text);
  return users.flatMap((u, i) => (u.password_hash === undefined ? [] : [toUser(client, u, i)]));
}

/** The config text with `user` added or replaced. */
export function withUser(client: string, text: string, user: User): string {
  const { config, users } = parseUsersOf(client, text);
  const entry = { username: user.username, role: user.role, password_hash: user.password_hash };
  const at = users.findIndex((u) => u.username === user.username);
  const next = at < 0 ? [...users, entry] : users.map((u, i) => (i === at ? entry : u));
  return renderConfig({ ...config, users: next });
}

/** The config text without the user, or undefined when there is no such user. */
export function withoutUser(client: string, text: string, username: string): string | undefined {
  const { config, users } = parseUsersOf(client, text);
  if (!users.some((u) => u.username === username)) return undefined;
  return renderConfig({ ...config, users: users.filter((u) => u.username !== username) });
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
