/**
 * What people do to queue entries from the console: retry or skip a step, retry every failed step,
 * delete. Each change goes through db.updateStep (the step-status table decides) and is written to
 * a log of the client, so every console action is traceable to a user.
 */
import { iso } from "../../../core/clock";
import { isDatabusError } from "../../../core/errors";
import { uuidv7 } from "../../../core/ids";
import type { QueueEntry } from "../../../core/queue-entry";
import type { StepStatus } from "../../../core/step-status";
import type { Viewer } from "../../auth/guard";
import type { Web } from "../../deps";
import type { StepVerb } from "./entry-params";

export interface ConsoleAction {
  title: string;
  definition: string | null;
  message: string;
  /** The entry the action touched; it gets the log linked so its page shows it. */
  entryId?: string;
}

/** Who did it, as logs name them: the user, plus their client when they act on another one. */
export const actorOf = (viewer: Viewer, client: string): string =>
  viewer.client === client ? viewer.username : `${viewer.username} (client ${viewer.client})`;

export const describeStep = (step: StepStatus): string =>
  step.kind === "notify" ? `notify step (${step.name})` : `${step.kind} ${step.name}`;

/** Writes one log of the client for one console action. Returns the log id. */
export async function recordConsoleAction(web: Web, viewer: Viewer, client: string, action: ConsoleAction): Promise<string> {
  const now = web.clock.now();
  const at = iso(now);
  const id = uuidv7(now);
  await web.db.createLog(client, { id, origin: "console", at, title: action.title, definition: action.definition });
  await web.db.appendLog(client, id, [{ at, level: "info", source: "console", message: `${actorOf(viewer, client)}: ${action.message}` }]);
  if (action.entryId) await web.db.linkLog(client, action.entryId, id);
  return id;
}

const PAST: Record<StepVerb, string> = { retry: "retried", skip: "skipped" };

/** Retries or skips one step; DBUS_Q_ACTION_NOT_ALLOWED (from the engine) when its state forbids it. */
export async function changeStep(web: Web, viewer: Viewer, client: string, entry: QueueEntry, index: number, verb: StepVerb): Promise<QueueEntry> {
  const id = entry.passenger.id;
  const updated = await web.db.updateStep(client, id, index, { action: verb, at: iso(web.clock.now()) });
  const step = describeStep(entry.steps[index]!);
  await recordConsoleAction(web, viewer, client, {
    title: `console: ${verb} ${step} of ${entry.passenger.external_id}`,
    definition: entry.passenger.type,
    message: `${PAST[verb]} the ${step} of passenger ${id} (external id ${entry.passenger.external_id}).`,
    entryId: id,
  });
  return (await web.db.getEntry(client, id)) ?? updated;
}

/** Retries every failed step of the entry; steps that moved meanwhile are left as they are. */
export async function retryFailedSteps(web: Web, viewer: Viewer, client: string, entry: QueueEntry): Promise<QueueEntry> {
  const id = entry.passenger.id;
  const retried: string[] = [];
  let latest = entry;
  for (const [index, step] of entry.steps.entries()) {
    if (step.state !== "failed") continue;
    try {
      latest = await web.db.updateStep(client, id, index, { action: "retry", at: iso(web.clock.now()) });
      retried.push(describeStep(step));
    } catch (e) {
      if (!isDatabusError(e) || e.code !== "DBUS_Q_ACTION_NOT_ALLOWED") throw e;
    }
  }
  if (retried.length === 0) return latest;
  await recordConsoleAction(web, viewer, client, {
    title: `console: retry failed steps of ${entry.passenger.external_id}`,
    definition: entry.passenger.type,
    message: `retried ${retried.join(", ")} of passenger ${id} (external id ${entry.passenger.external_id}).`,
    entryId: id,
  });
  return (await web.db.getEntry(client, id)) ?? latest;
}

export async function deleteEntry(web: Web, viewer: Viewer, client: string, entry: QueueEntry): Promise<void> {
  const id = entry.passenger.id;
  await web.db.deleteEntry(client, id);
  await recordConsoleAction(web, viewer, client, {
    title: `console: delete ${entry.passenger.external_id}`,
    definition: entry.passenger.type,
    message: `deleted passenger ${id} (external id ${entry.passenger.external_id}, source ${entry.passenger.source_system}).`,
  });
}
