/**
 * Observer state of one client, kept in the store's plugin state (driver `databus/observers`, key
 * `state`) so open incidents and last successful runs survive a restart.
 *
 * Layout: { "incidents": { "<observer>|<event>|<definition>": Incident }, "last_success": { "<definition>": iso } }
 * `last_success` also holds the time a definition was first watched, until its first successful run.
 */
import type { ObserverEvent } from "../core/observers";
import type { Database } from "../storage/database";

export const STATE_DRIVER = "databus/observers";
const STATE_KEY = "state";

export interface Incident {
  observer: string;
  event: ObserverEvent;
  definition: string;
  opened_at: string;
  summary: string;
  details: Record<string, unknown>;
  /** False until the incident notice reached the target; the next check sends it again. */
  notified: boolean;
}

export interface ObserverState {
  incidents: Record<string, Incident>;
  last_success: Record<string, string>;
}

export const incidentKey = (observer: string, event: ObserverEvent, definition: string): string => `${observer}|${event}|${definition}`;

export async function loadState(db: Database, client: string): Promise<ObserverState> {
  const raw = (await db.getState(client, STATE_DRIVER, STATE_KEY)) as Partial<ObserverState> | undefined;
  return { incidents: { ...raw?.incidents }, last_success: { ...raw?.last_success } };
}

export async function saveState(db: Database, client: string, state: ObserverState): Promise<void> {
  await db.setState(client, STATE_DRIVER, STATE_KEY, state);
}
