/** Pull: every puller of the definition, each isolated; bad passengers are logged and left out. */
import { DatabusError, reasonOf } from "../../core/errors";
import { guessMediaType } from "../../core/passenger";
import type { Passenger } from "../../sdk/passenger";
import type { Puller } from "../../sdk/puller";
import type { ResolvedDriver } from "../definitions";
import { checkSize, passengerProblem } from "../passenger-check";
import { contextFor, type Run } from "../run-context";
import { PULL_TIMEOUT_MS, runWithTimeout } from "../step-runner";

export interface Pulled {
  puller: string;
  passenger: Passenger;
  /** The puller has a `notifySeated` to call once the passenger is seated (the notify step's work). */
  notifies: boolean;
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
  let notifies = false;
  try {
    items = await runWithTimeout(
      async (signal) => {
        const puller = driver.create();
        notifies = typeof puller.notifySeated === "function";
        return collect(await puller.pull(contextFor(run, driver.ref, signal)));
      },
      { timeoutMs: run.timeouts.pullMs || PULL_TIMEOUT_MS, parent: run.signal, describe: { kind: "puller", name, id: "" } },
    );
  } catch (e) {
    run.log.error(name, describe(new DatabusError("DBUS_RUN_PULL_FAILED", { name, definition, reason: reasonOf(e) })));
    return [];
  }
  const good: Pulled[] = [];
  for (const item of items) {
    const problem = passengerProblem(item, run.resolved.passengerClass);
    if (problem) {
      run.log.error(name, describe(new DatabusError("DBUS_RUN_BAD_PASSENGER", { name, problem })));
      continue;
    }
    const p = item as Passenger;
    const size = checkSize(p, run.passengerLimitBytes);
    if (size.ok) good.push({ puller: name, passenger: normalise(p, name), notifies });
    else if (size.tooLarge) {
      const limitMb = Math.round(run.passengerLimitBytes / 1024 / 1024);
      run.log.error(name, describe(new DatabusError("DBUS_RUN_PASSENGER_TOO_LARGE", { kind: "puller", name, id: `with external_id ${p.external_id}`, limitMb })));
    } else run.log.error(name, describe(new DatabusError("DBUS_RUN_BAD_PASSENGER", { name, problem: size.problem })));
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

function normalise(p: Passenger, puller: string): Passenger {
  p.external_id = String(p.external_id);
  p.source_system ||= puller;
  p.attachments = p.attachments.map((a) => ({ ...a, media_type: a.media_type ?? guessMediaType(a.name, a.content) }));
  return p;
}

/** Code and message, as failed steps record them, so the log says which catalogue entry it was. */
const describe = (e: DatabusError): string => `${e.code} ${e.message}`;
