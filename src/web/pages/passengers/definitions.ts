/**
 * A client's passenger definitions for the Passengers and Peek pages: a broken config is a value the
 * page shows, never a crash; and the `definition` a form or query names, validated before use.
 */
import { parseClientConfig, type PassengerDefinition } from "../../../core/client";
import { DatabusError, isDatabusError } from "../../../core/errors";
import { isDriverName } from "../../../core/ids";
import type { Database } from "../../../storage/database";

export type Definitions = { ok: true; definitions: PassengerDefinition[] } | { ok: false; error: DatabusError };

export async function readDefinitions(db: Database, client: string): Promise<Definitions> {
  try {
    return { ok: true, definitions: parseClientConfig(client, await db.readConfig(client)).passengers };
  } catch (e) {
    if (isDatabusError(e) && e.code.startsWith("DBUS_CFG_")) return { ok: false, error: e };
    throw e;
  }
}

/** The definition name in a form or query: required unless `optional`, and shaped like a name. */
export function parseDefinitionName(raw: unknown, options: { optional: true }): string | undefined;
export function parseDefinitionName(raw: unknown, options?: { optional?: false }): string;
export function parseDefinitionName(raw: unknown, options: { optional?: boolean } = {}): string | undefined {
  const value = typeof raw === "string" ? raw.trim() : "";
  if (!value) {
    if (options.optional) return undefined;
    throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "definition", problem: "is missing" });
  }
  if (!isDriverName(value)) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "definition", problem: "must be the name of a passenger definition" });
  return value;
}

/** A form field of a parsed body, or undefined. */
export const formField = (body: unknown, name: string): unknown =>
  body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;

/** `path?client=x` when a root administrator looks at another client, else `path`; extra params kept. */
export function withClient(path: string, client: string | undefined, params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  if (client) search.set("client", client);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, v);
  const s = search.toString();
  return s ? `${path}?${s}` : path;
}
