/**
 * Checks a plugin module at load time, not at first use: default export, base class, required
 * methods, reserved names. Turns import failures into DBUS_PLG_LOAD_FAILED with file and line.
 */
import { DatabusError } from "../core/errors";
import { kindOfClass, type LoadedPlugin, type PluginKind } from "./registry";

/** The method each kind must have; the other kinds have none they must define. */
const REQUIRED_METHOD: Partial<Record<PluginKind, string>> = {
  puller: "pull",
  processor: "process",
  pusher: "push",
  report: "run",
};

/** Throws DBUS_PLG_RESERVED_NAME for user plugins under `databus/` (the built-ins' prefix). */
export function checkPluginName(name: string, displayFile: string): void {
  if (name === "databus" || name.startsWith("databus/")) {
    throw new DatabusError("DBUS_PLG_RESERVED_NAME", { file: displayFile });
  }
}

/**
 * The loaded plugin described by an imported module, or DBUS_PLG_BAD_EXPORT /
 * DBUS_PLG_MISSING_METHOD. `file` is null for built-ins.
 */
export function validatePluginModule(name: string, file: string | null, displayFile: string, mod: unknown): LoadedPlugin {
  const cls = (mod as { default?: unknown } | null)?.default;
  const kind = kindOfClass(cls);
  if (kind === undefined) throw new DatabusError("DBUS_PLG_BAD_EXPORT", { file: displayFile, got: describeExport(mod, cls) });
  const method = REQUIRED_METHOD[kind];
  const proto = (cls as { prototype: Record<string, unknown> }).prototype;
  // Abstract methods leave nothing on the prototype chain, so a class that forgot pull() has none.
  if (method !== undefined && typeof proto[method] !== "function") {
    throw new DatabusError("DBUS_PLG_MISSING_METHOD", { kind, name, method });
  }
  if (kind === "report") checkReport(name, cls as new () => object);
  return { name, kind, file, cls: cls as LoadedPlugin["cls"] };
}

const PARAMETER_TYPES = ["period", "date", "text", "number", "choice"];
const PARAMETER_NAME = /^[a-z][a-z0-9_]{0,31}$/;
/** `client` picks the client for root administrators, so a report cannot take it as a field. */
const RESERVED_PARAMETERS = new Set(["client"]);
const MAX_TIMEOUT_SECONDS = 600;

/**
 * Title, timeout and parameters, checked on a fresh instance because class fields exist only on
 * instances. The console trusts what passes here when it builds the form. DBUS_PLG_BAD_REPORT.
 */
function checkReport(name: string, cls: new () => object): void {
  let report: Record<string, unknown>;
  try {
    report = new cls() as Record<string, unknown>;
  } catch (e) {
    throw new DatabusError("DBUS_PLG_BAD_REPORT", { name, problem: `could not be created: ${e instanceof Error ? e.message : String(e)}` }, { cause: e });
  }
  const problem = reportProblem(report);
  if (problem) throw new DatabusError("DBUS_PLG_BAD_REPORT", { name, problem });
}

function reportProblem(r: Record<string, unknown>): string | undefined {
  if (typeof r.title !== "string" || !r.title.trim()) return "has no title (set `title` to a short text)";
  if (typeof r.description !== "string") return "has a description that is not text";
  const t = r.timeout;
  if (typeof t !== "number" || !(t > 0 && t <= MAX_TIMEOUT_SECONDS)) return `has the timeout ${String(t)}; use seconds, more than 0 and at most ${MAX_TIMEOUT_SECONDS}`;
  if (!Array.isArray(r.parameters)) return "has `parameters` that is not a list";
  const fields = new Set<string>();
  for (const [i, p] of (r.parameters as unknown[]).entries()) {
    const problem = parameterProblem(p, fields);
    if (problem) return `declares parameter ${i + 1} ${problem}`;
  }
  return undefined;
}

/** What is wrong with one parameter declaration; `fields` collects the URL field names taken so far. */
function parameterProblem(p: unknown, fields: Set<string>): string | undefined {
  if (typeof p !== "object" || p === null) return "as something other than an object";
  const { name, label, type, choices, default: def } = p as Record<string, unknown>;
  if (typeof name !== "string" || !PARAMETER_NAME.test(name)) return "without a valid name (a-z, 0-9 and _, starting with a letter, at most 32)";
  if (RESERVED_PARAMETERS.has(name)) return `named \`${name}\`, which the console uses itself`;
  if (typeof label !== "string" || !label.trim()) return `(\`${name}\`) without a label`;
  if (typeof type !== "string" || !PARAMETER_TYPES.includes(type)) return `(\`${name}\`) with the type ${String(type)}; use ${PARAMETER_TYPES.join(", ")}`;
  // A period is two fields in the URL; no name may collide with another's.
  for (const field of type === "period" ? [`${name}_from`, `${name}_to`] : [name]) {
    if (fields.has(field)) return `(\`${name}\`) whose field ${field} is taken by another parameter`;
    fields.add(field);
  }
  if (type === "choice" && !(Array.isArray(choices) && choices.length > 0 && choices.every((c) => typeof c === "string")))
    return `(\`${name}\`) of type choice without a list of choices`;
  if (def === undefined) return undefined;
  const fits =
    (type === "date" && typeof def === "string" && isDay(def)) ||
    (type === "number" && typeof def === "number" && Number.isFinite(def)) ||
    (type === "text" && typeof def === "string") ||
    (type === "choice" && (choices as string[]).includes(def as string));
  return fits ? undefined : `(\`${name}\`) whose default ${JSON.stringify(def)} does not fit its type ${type}`;
}

const isDay = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** What the module exports instead of a plugin class, in the plugin author's words. */
function describeExport(mod: unknown, cls: unknown): string {
  if (cls === undefined) {
    const named = mod && typeof mod === "object" ? Object.keys(mod) : [];
    return named.length > 0 ? `no default, only ${named.map((n) => `\`${n}\``).join(", ")}` : "nothing";
  }
  if (cls === null) return "null";
  if (typeof cls === "function") {
    const fn = cls as { name?: string; prototype?: unknown };
    const isClass = /^class[\s{]/.test(Function.prototype.toString.call(cls));
    if (!isClass) return `a function${fn.name ? ` (\`${fn.name}\`)` : ""}, not a class`;
    const parent = Object.getPrototypeOf(cls) as { name?: string } | null;
    const parentName = parent && parent !== Function.prototype && parent.name ? parent.name : undefined;
    return parentName
      ? `the class \`${fn.name || "(anonymous)"}\`, which extends \`${parentName}\``
      : `the class \`${fn.name || "(anonymous)"}\`, which extends nothing`;
  }
  if (Array.isArray(cls)) return "an array";
  return `a value of type ${typeof cls}`;
}

/** Position information Bun attaches to build (syntax) and resolve errors. */
interface BunMessage {
  message?: string;
  position?: { file?: string; line?: number; column?: number } | null;
}

/**
 * DBUS_PLG_LOAD_FAILED for anything thrown while importing or bundling a plugin: a syntax error
 * (Bun's BuildMessage carries a 1-based line), a throw at top level (the line comes from the stack
 * frame in the plugin's own file), a module that cannot be found.
 */
export function loadFailure(file: string, displayFile: string, e: unknown): DatabusError {
  const first = firstMessage(e);
  const reason = (first.message ?? String(e)).replace(/\s+$/, "").replace(/[^.!?]$/, "$&.");
  const line = lineOf(file, first, e);
  return new DatabusError("DBUS_PLG_LOAD_FAILED", line ? { file: displayFile, reason, line } : { file: displayFile, reason }, { cause: e });
}

function firstMessage(e: unknown): BunMessage {
  // Bun.build and some imports throw an AggregateError whose `errors` are BuildMessages.
  const many = (e as { errors?: unknown[] } | null)?.errors;
  if (Array.isArray(many) && many.length > 0) return many[0] as BunMessage;
  return (typeof e === "object" && e !== null ? e : { message: String(e) }) as BunMessage;
}

function lineOf(file: string, msg: BunMessage, e: unknown): number | undefined {
  const pos = msg.position;
  if (pos?.line && pos.line > 0 && (!pos.file || pos.file === file || file.endsWith(pos.file))) return pos.line;
  const stack = (e as { stack?: unknown } | null)?.stack;
  if (typeof stack !== "string") return undefined;
  for (const frame of stack.split("\n")) {
    const at = frame.lastIndexOf(`${file}:`);
    if (at < 0) continue;
    const m = /^:(\d+)/.exec(frame.slice(at + file.length));
    if (m) return Number(m[1]);
  }
  return undefined;
}
