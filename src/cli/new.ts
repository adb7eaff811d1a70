/**
 * `databus new <kind> <name>`: writes `<home>/plugins/<name>.ts`, a typed and commented starting
 * file that type-checks against plugins/types/databus.d.ts and loads as it is. Never overwrites.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DatabusError } from "../core/errors";
import { isDriverName } from "../core/ids";

export type ScaffoldKind = "puller" | "processor" | "pusher" | "passenger";

/** Writes the new plugin file and returns its path; DBUS_PLG_SCAFFOLD_EXISTS if it is there already. */
export async function scaffold(home: string, kind: ScaffoldKind, name: string): Promise<string> {
  if (!isDriverName(name)) {
    throw new DatabusError("DBUS_SET_USAGE", {
      problem: `\`${name}\` is not a valid plugin name: use letters, digits, _ and -, with / between folders (acme/invoice_puller)`,
    });
  }
  const file = join(home, "plugins", `${name}.ts`);
  if (name === "databus" || name.startsWith("databus/")) throw new DatabusError("DBUS_PLG_RESERVED_NAME", { file });
  await mkdir(dirname(file), { recursive: true });
  try {
    // "wx" fails when the file exists, so two scaffolds can never overwrite each other's work.
    await writeFile(file, TEMPLATES[kind](name, classNameOf(name)), { flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new DatabusError("DBUS_PLG_SCAFFOLD_EXISTS", { file }, { cause: e });
    throw e;
  }
  return file;
}

/** `acme/invoice_puller` → `InvoicePuller`. */
export function classNameOf(name: string): string {
  const last = name.split("/").pop() ?? name;
  const pascal = last
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
  return /^[A-Za-z]/.test(pascal) ? pascal : `Plugin${pascal}`;
}

type Template = (name: string, cls: string) => string;

const TEMPLATES: Record<ScaffoldKind, Template> = {
  passenger: (name, cls) => `/**
 * ${name}: a passenger type. Name a passenger definition after it in a client config:
 *   "passengers": [{ "name": "${name}", "pullers": [...], "processors": [...], "pushers": [...] }]
 */
import { Passenger } from "databus";

/** What one ${cls} carries. Describe the fields your source gives you. */
export interface ${cls}Payload {
  title: string;
}

export default class ${cls} extends Passenger<${cls}Payload> {}
`,
  puller: (name, cls) => `/**
 * ${name}: fetches passengers from a source system. Use it in a client config as
 *   "pullers": [{ "name": "${name}", "options": { ... } }]
 * Its options arrive in ctx.options; ctx.log, ctx.state (cursors) and ctx.signal are there too.
 */
import { Passenger, Puller, type PullContext } from "databus";

export default class ${cls} extends Puller {
  /** Returns what waits in the source. Databus seats it, deduplicated on external_id. */
  async pull(ctx: PullContext): Promise<Passenger[]> {
    ctx.log.info("${cls} is looking for new items.");
    return [new Passenger({ external_id: "example-1", payload: { hello: "world" } })];
  }

  /** Optional: the passengers are safely queued, so the source may delete or mark them. Runs again after a crash. */
  override async notifySeated(passengers: Passenger[], ctx: PullContext): Promise<void> {
    for (const p of passengers) ctx.log.info(\`\${p.external_id} is seated.\`);
  }

  /** Optional: what waits in the source, without consuming anything (the Peek page). */
  override async peek(ctx: PullContext): Promise<Passenger[]> {
    return this.pull(ctx);
  }
}
`,
  processor: (name, cls) => `/**
 * ${name}: changes passengers before they are delivered. Use it in a client config as
 *   "processors": [{ "name": "${name}" }]
 * Change the passenger in place (Databus stores it), or return skipDelivery(reason).
 */
import { Processor, skipDelivery, type Passenger, type ProcessContext, type SkipDelivery } from "databus";

export default class ${cls} extends Processor {
  async process(passenger: Passenger, ctx: ProcessContext): Promise<void | SkipDelivery> {
    if (passenger.payload === undefined) return skipDelivery("it has no payload");
    ctx.log.info(\`${cls} processed \${passenger.external_id}.\`);
  }
}
`,
  pusher: (name, cls) => `/**
 * ${name}: delivers passengers to a target system. Use it in a client config as
 *   "pushers": [{ "name": "${name}", "options": { ... } }]
 * A throw marks the delivery failed and it is tried again later; ctx.idempotencyKey stays the
 * same across attempts, so send it along and let the target drop repeats.
 */
import { Pusher, type Passenger, type PushContext } from "databus";

export default class ${cls} extends Pusher {
  async push(passenger: Passenger, ctx: PushContext): Promise<void> {
    ctx.log.info(\`${cls} delivered \${passenger.external_id} (key \${ctx.idempotencyKey}).\`);
  }
}
`,
};
