/**
 * Prepares a home: creates it and plugins/ when missing, and says where. A new plugins/ gets the
 * example plugins, so the demo client's folder definition works and there is code to copy.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabusError } from "../core/errors";
import type { Database } from "../storage/database";
import { SEED_CLIENTS, SEED_PLUGINS } from "./seed";

export interface HomeReport {
  created: string[];
}

export function ensureHomeFolders(home: string): HomeReport {
  const created: string[] = [];
  for (const dir of [home, join(home, "plugins")]) {
    if (existsSync(dir)) continue;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new DatabusError("DBUS_SET_HOME_UNWRITABLE", { path: dir, reason: (e as NodeJS.ErrnoException).code ?? "error" }, { cause: e });
    }
    created.push(dir);
  }
  if (created.includes(join(home, "plugins")))
    for (const [path, content] of Object.entries(SEED_PLUGINS)) {
      const file = join(home, "plugins", path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      created.push(file);
    }
  return { created };
}

/** A store with no clients at all gets the seed clients (demo and root). */
export async function seedClients(db: Database): Promise<string[]> {
  if ((await db.listClients()).length > 0) return [];
  for (const [client, text] of Object.entries(SEED_CLIENTS)) await db.createClient(client, text);
  return Object.keys(SEED_CLIENTS);
}

/**
 * No well-known root password: when root has no user, make `admin` with a random password,
 * store only its hash and return the password so the caller prints it once.
 */
export async function ensureRootUser(db: Database): Promise<string | undefined> {
  if ((await db.listClients()).includes("root") === false) await db.createClient("root", SEED_CLIENTS.root!);
  if ((await db.listUsers("root")).length > 0) return undefined;
  const password = Buffer.from(crypto.getRandomValues(new Uint8Array(15))).toString("base64url");
  const password_hash = await Bun.password.hash(password, { algorithm: "argon2id" });
  await db.putUser("root", { username: "admin", role: "administrator", password_hash });
  return password;
}
