/**
 * `databus queue list|retry|skip`: the console's queue actions on the command line, through the
 * Database contract. The JSON engine needs the data folder's lock, so this refuses to run beside a
 * server (DBUS_SET_HOME_LOCKED); the web console is the way then.
 */
import { iso, systemClock } from "../core/clock";
import { DatabusError } from "../core/errors";
import { isClientId, uuidv7 } from "../core/ids";
import { ENTRY_STATES, entryState, type EntryState, type QueueEntry } from "../core/queue-entry";
import type { StepStatus } from "../core/step-status";
import type { Database } from "../storage/database";
import type { CommandContext } from "./context";
import { openStore } from "./export";
import { EXIT_OK } from "./report";

export const QUEUE_USAGE = "databus queue list <client> [--state dead] | queue retry|skip <client> <passenger id> [--step N | --all-failed]";

const usage = (problem: string) => new DatabusError("DBUS_SET_USAGE", { problem: `${problem}. Use it as: ${QUEUE_USAGE}` });

export async function queueCommand(ctx: CommandContext): Promise<number> {
  const [verb, client, id, extra] = ctx.args.positional;
  if (verb !== "list" && verb !== "retry" && verb !== "skip") throw usage(verb ? `There is no queue action ${verb}` : "Say what to do");
  if (!client) throw usage("Name the client");
  if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
  if (verb === "list" ? id !== undefined : id === undefined || extra !== undefined)
    throw usage(verb === "list" ? "queue list takes only the client" : "Name the client and one passenger id");
  const state = parseState(ctx.args.flags.state);
  const target = verb === "list" ? undefined : parseTarget(ctx.args.flags);
  const db = await openStore(ctx.settings);
  try {
    if (verb === "list") await list(ctx, db, client, state);
    else await change(ctx, db, client, id!, verb, target!);
    return EXIT_OK;
  } finally {
    await db.close();
  }
}

function parseState(raw: string | undefined): EntryState | undefined {
  if (raw === undefined) return undefined;
  if (!(ENTRY_STATES as readonly string[]).includes(raw)) throw usage(`--state must be one of ${ENTRY_STATES.join(", ")}, not ${raw}`);
  return raw as EntryState;
}

/** A step index, or every failed step (also the default). */
type Target = number | "all-failed";

function parseTarget(flags: Record<string, string>): Target {
  if (flags.step !== undefined && flags["all-failed"] !== undefined) throw usage("Give either --step or --all-failed, not both");
  if (flags.step === undefined) return "all-failed";
  const n = Number(flags.step);
  if (!Number.isInteger(n) || n < 0) throw usage(`--step must be a step number as queue list shows it, not ${flags.step}`);
  return n;
}

async function list(ctx: CommandContext, db: Database, client: string, state: EntryState | undefined): Promise<void> {
  await db.readConfig(client); // DBUS_CFG_CLIENT_NOT_FOUND for a client that does not exist
  const limit = 100;
  const page = await db.listEntries(client, state ? { state } : {}, { offset: 0, limit });
  for (const e of page.entries) {
    ctx.out(`${e.passenger.id}  ${entryState(e.steps).padEnd(8)} ${e.passenger.type}  ${e.passenger.external_id}  seated ${e.seated_at}`);
    e.steps.forEach((s, i) => {
      if (s.state === "failed" || s.state === "pending") ctx.out(`    step ${i} ${describeStep(s)}: ${s.state}${stepDetail(s)}`);
    });
  }
  const which = state ? `${state} ` : "";
  const shown = page.total > page.entries.length ? `, the newest ${page.entries.length} shown` : "";
  ctx.out(`Client ${client} has ${page.total} ${which}${page.total === 1 ? "entry" : "entries"}${shown}.`);
}

async function change(ctx: CommandContext, db: Database, client: string, id: string, verb: "retry" | "skip", target: Target): Promise<void> {
  const entry = await db.getEntry(client, id);
  if (!entry) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
  const indexes = target === "all-failed" ? failedSteps(entry) : [target];
  if (typeof target === "number" && target >= entry.steps.length)
    throw usage(`Passenger ${id} has steps 0 to ${entry.steps.length - 1}, so there is no step ${target}`);
  if (indexes.length === 0)
    throw new DatabusError("DBUS_Q_ACTION_NOT_ALLOWED", { id, state: `${entryState(entry.steps)} with no failed step`, action: verb === "retry" ? "retried" : "skipped" });
  const now = systemClock.now();
  let updated = entry;
  for (const i of indexes) updated = await db.updateStep(client, id, i, { action: verb, at: iso(now) });
  const steps = indexes.map((i) => `step ${i} (${describeStep(entry.steps[i]!)})`).join(", ");
  const message = `${verb === "retry" ? "Retried" : "Skipped"} ${steps} of passenger ${id} (${entry.passenger.external_id}); it is now ${entryState(updated.steps)}.`;
  await recordAction(db, client, entry, `command line: ${verb} ${steps} of ${entry.passenger.external_id}`, message);
  ctx.out(message);
}

const failedSteps = (e: QueueEntry): number[] => e.steps.flatMap((s, i) => (s.state === "failed" ? [i] : []));

const describeStep = (s: StepStatus): string => (s.kind === "notify" ? `notify ${s.name}` : `${s.kind} ${s.name}`);

function stepDetail(s: StepStatus): string {
  if (s.state !== "failed") return "";
  const next = s.next_attempt_at ? `next attempt ${s.next_attempt_at}` : "waits for a person";
  return ` after ${s.attempts} attempt${s.attempts === 1 ? "" : "s"}, ${next} — ${s.last_error ?? "no error recorded"}`;
}

/** The same trail the console leaves: a console log on the client, linked from the entry. */
async function recordAction(db: Database, client: string, entry: QueueEntry, title: string, message: string): Promise<void> {
  const now = systemClock.now();
  const logId = uuidv7(now);
  await db.createLog(client, { id: logId, origin: "console", at: iso(now), title, definition: entry.passenger.type });
  await db.appendLog(client, logId, [{ at: iso(now), level: "info", source: "command line", message }]);
  await db.linkLog(client, entry.passenger.id, logId);
}
