/** Pull: every puller of the definition, each isolated; bad passengers are logged and left out. */
import { DatabusError, reasonOf } from "../../core/errors";
import { attachmentNameProblem, guessMediaType, type Attachment } from "../../core/passenger";
import { Passenger } from "../../sdk/passenger";
import type { Puller } from "../../sdk/puller";
import type { ResolvedDriver } from "../definitions";
import { contextFor, type Run } from "../run-context";
import { PULL_TIMEOUT_MS, runWithTimeout } from "../step-runner";

export interface Pulled {
  puller: string;
  passenger: Passenger;
}

export async function pullAll(run: Run): Promise<Pulled[]> {
  const out: Pulled[] = [];
  for (const puller of run.resolved.pullers) {
    if (!run.shouldContinue()) break;
    out.push(...(await pullOne(run, puller)));
  }
  return out;
}

async function pullOne(run: Run, driver: ResolvedDriver<Puller>): Promise<Pulled[]> {
  const name = driver.ref.name;
  const definition = run.resolved.definition.name;
  let items: unknown[];
  try {
    items = await runWithTimeout(
      async (signal) => collect(await driver.create().pull(contextFor(run, driver.ref, signal))),
      { timeoutMs: run.timeouts.pullMs || PULL_TIMEOUT_MS, parent: run.signal, describe: { kind: "puller", name, id: "(pull)" } },
    );
  } catch (e) {
    run.log.error(name, new DatabusError("DBUS_RUN_PULL_FAILED", { name, definition, reason: reasonOf(e) }).message);
    return [];
  }
  const good: Pulled[] = [];
  for (const item of items) {
    const problem = passengerProblem(item, run.resolved.passengerClass);
    if (problem) run.log.error(name, new DatabusError("DBUS_RUN_BAD_PASSENGER", { name, problem }).message);
    else good.push({ puller: name, passenger: normalise(item as Passenger, name) });
  }
  return good;
}

async function collect(result: unknown): Promise<unknown[]> {
  if (Array.isArray(result)) return result;
  if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    const out: unknown[] = [];
    for await (const p of result as AsyncIterable<unknown>) out.push(p);
    return out;
  }
  if (result === undefined || result === null) return [];
  throw new Error(`pull() returned ${typeof result}, not a list or an async iterable of passengers`);
}

/** Why a value cannot be seated, in words for the plugin author; null when it can. */
export function passengerProblem(item: unknown, expected: typeof Passenger): string | null {
  if (!(item instanceof Passenger)) return `it is ${describe(item)}, not a Passenger (create it with new YourPassengerType({...}))`;
  if (!(item instanceof expected))
    return `it is a ${(item as object).constructor.name}, but this definition carries ${expected.name} passengers`;
  const ext = item.external_id as unknown;
  if ((typeof ext !== "string" || ext.length === 0) && typeof ext !== "number") return "it has no external_id";
  if (typeof item.source_system !== "string") return "its source_system is not a text";
  if (!Array.isArray(item.attachments)) return "its attachments are not a list";
  for (const a of item.attachments as unknown[]) {
    const att = a as Partial<Attachment> | null;
    const nameProblem = attachmentNameProblem(att?.name);
    if (nameProblem) return `an attachment ${nameProblem}`;
    if (typeof att!.content !== "string" && !(att!.content instanceof Uint8Array))
      return `the attachment ${att!.name} has content that is neither text nor bytes`;
  }
  try {
    JSON.stringify(item.payload ?? null);
  } catch (e) {
    return `its payload cannot be stored as JSON (${reasonOf(e)})`;
  }
  return null;
}

function normalise(p: Passenger, puller: string): Passenger {
  p.external_id = String(p.external_id);
  p.source_system ||= puller;
  p.attachments = p.attachments.map((a) => ({ ...a, media_type: a.media_type ?? guessMediaType(a.name, a.content) }));
  return p;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return `an object (${(v as object).constructor?.name ?? "no class"})`;
  return `a ${typeof v}`;
}
