/**
 * The entry routes' URL parts: client and passenger id validated before any lookup, the client
 * checked against the viewer, and the entry loaded or DBUS_Q_ENTRY_NOT_FOUND.
 */
import { DatabusError } from "../../../core/errors";
import { isClientId, isUuid } from "../../../core/ids";
import type { QueueEntry } from "../../../core/queue-entry";
import type { Database } from "../../../storage/database";
import type { Viewer } from "../../auth/guard";
import { pickClient } from "../../auth/resolve-client";

const bad = (field: string, problem: string) => new DatabusError("DBUS_WEB_BAD_INPUT", { field, problem });

export interface EntryRef {
  client: string;
  id: string;
}

/** Validates `:client` and `:id`; a client the viewer may not see is DBUS_AUTH_FORBIDDEN. */
export async function parseEntryRef(db: Database, viewer: Viewer, params: Record<string, string | undefined>): Promise<EntryRef> {
  const client = params.client ?? "";
  if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
  const id = params.id ?? "";
  if (!isUuid(id)) throw bad("passenger id", "must be a passenger id (a UUID)");
  return { client: await pickClient(db, viewer, client), id };
}

export async function loadEntry(db: Database, ref: EntryRef): Promise<QueueEntry> {
  const entry = await db.getEntry(ref.client, ref.id);
  if (!entry) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client: ref.client, id: ref.id });
  return entry;
}

/** `:step` of a step action: a whole number naming one of the entry's steps. */
export function parseStepIndex(raw: string | undefined, entry: QueueEntry): number {
  if (!raw || !/^[0-9]{1,4}$/.test(raw) || Number(raw) >= entry.steps.length)
    throw bad("step", `must be a step number from 0 to ${entry.steps.length - 1}`);
  return Number(raw);
}

export type StepVerb = "retry" | "skip";

export function parseStepVerb(raw: string | undefined): StepVerb {
  if (raw === "retry" || raw === "skip") return raw;
  throw bad("action", "must be retry or skip");
}
