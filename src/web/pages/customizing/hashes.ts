/**
 * Password hashes never reach a page: the config editor and the backup diff show a placeholder in
 * place of each `password_hash`, and a save puts the stored hashes back, user by user.
 */
import { parseClientConfig } from "../../../core/client";

export const HIDDEN_HASH = "(hidden; change passwords on the Users page)";

const HASH_FIELD = /("password_hash"\s*:\s*)"(?:[^"\\]|\\.)*"/g;

export function hideHashes(text: string): string {
  return text.replace(HASH_FIELD, (_, key: string) => `${key}"${HIDDEN_HASH}"`);
}

/**
 * The edited text with each placeholder replaced by that user's stored hash. Users are matched by
 * name in document order; a placeholder on a user who has no stored hash stays, and validation
 * then names that field.
 */
export function restoreHashes(client: string, edited: string, stored: string): string {
  if (!edited.includes(HIDDEN_HASH)) return edited;
  let users: unknown;
  try {
    users = (JSON.parse(edited) as { users?: unknown }).users;
  } catch {
    return edited; // not JSON: validation reports it with line and column
  }
  if (!Array.isArray(users)) return edited;
  const hashes = storedHashes(client, stored);
  const owners = users
    .filter((u) => typeof u === "object" && u !== null && (u as { password_hash?: unknown }).password_hash === HIDDEN_HASH)
    .map((u) => String((u as { username?: unknown }).username));
  let k = 0;
  return edited.replace(HASH_FIELD, (whole, key: string) => {
    if (!whole.endsWith(`"${HIDDEN_HASH}"`)) return whole;
    const hash = hashes.get(owners[k++] ?? "");
    return hash === undefined ? whole : `${key}${JSON.stringify(hash)}`;
  });
}

function storedHashes(client: string, stored: string): Map<string, string> {
  try {
    return new Map(parseClientConfig(client, stored).users.flatMap((u) => (u.password_hash ? [[u.username, u.password_hash] as const] : [])));
  } catch {
    return new Map(); // a broken stored config has no hashes to give back
  }
}
