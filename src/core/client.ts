/**
 * Client config: parse and validate a client's `config.json`, keeping the original's key names.
 * Every problem names the file, the field path, the line and the reason. Pure.
 */
import { parseDuration } from "./duration";
import type { RetryPolicy } from "./retry-policy";
import { DatabusError } from "./errors";
import { isClientId, isDriverName } from "./ids";
import { JsonSyntaxError, parseJsonWithPositions, type ParsedJson } from "./json-source";
import { readObservers, type FieldChecks, type ObserverConfig } from "./observers";
import { isUsername, ROLES, type Role } from "./users";

export type DriverKind = "puller" | "processor" | "pusher";

/** A driver as a definition names it, with the options the config gives it. */
export interface DriverRef {
  name: string;
  options: Record<string, unknown>;
}

export interface PassengerDefinition {
  /** The passenger type (a Passenger plugin name); unique within the client. */
  name: string;
  pullers: DriverRef[];
  processors: DriverRef[];
  pushers: DriverRef[];
  /** How often a run starts, in milliseconds (`sync_frequency`, minutes or a duration string). */
  sync_frequency_ms: number;
  /** Days complete entries stay in the queue before purge. */
  queue_life_span: number;
  /** This definition's changes to the instance's retry policy (`retry`); unset fields use the settings. */
  retry: Partial<RetryPolicy>;
  /** This definition's timeouts in ms (`timeout`); unset ones use the defaults (5 min pull, 1 min step). */
  timeouts: { pullMs?: number; stepMs?: number };
}

/** A user as the config file holds it: a hash, or a plain password still to be hashed. */
export interface ConfigUser {
  username: string;
  role: Role;
  password_hash?: string;
  password?: string;
}

export interface ClientConfig {
  client: string;
  /** Days logs and config backups are kept. */
  log_life_span: number;
  passengers: PassengerDefinition[];
  users: ConfigUser[];
  /** Who is told about runs with errors, dead entries and silent definitions (observers.ts). */
  observers: ObserverConfig[];
}

export const DEFAULT_LOG_LIFE_SPAN = 30;
export const DEFAULT_QUEUE_LIFE_SPAN = 7;
export const DEFAULT_SYNC_FREQUENCY = 1;

const TOP_KEYS = ["log_life_span", "passengers", "users", "observers"];
const DEFINITION_KEYS = ["name", "pullers", "processors", "pushers", "sync_frequency", "queue_life_span", "retry", "timeout"];
const DURATION_HINT = 'must be a duration such as "30s", "5m" or "1h", at least 1s';
const USER_KEYS = ["username", "role", "password", "password_hash"];

/** Parses config text; throws DBUS_CFG_INVALID_JSON or DBUS_CFG_INVALID_FIELD with file and line. */
export function parseClientConfig(client: string, text: string, file = "config.json"): ClientConfig {
  if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
  let parsed: ParsedJson;
  try {
    parsed = parseJsonWithPositions(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw new DatabusError("DBUS_CFG_INVALID_JSON", { client, file, ...e.position }, { cause: e });
  }
  return new ConfigReader(client, file, parsed).read();
}

class ConfigReader implements FieldChecks {
  constructor(
    private client: string,
    private file: string,
    private parsed: ParsedJson,
  ) {}

  read(): ClientConfig {
    const root = this.object(this.parsed.value, "(the whole file)", "");
    this.onlyKeys(root, TOP_KEYS, "");
    const log_life_span = this.days(root.log_life_span, "log_life_span", DEFAULT_LOG_LIFE_SPAN);
    const passengers = this.array(root.passengers === undefined ? [] : root.passengers, "passengers").map((d, i) => this.definition(d, `passengers[${i}]`));
    const seen = new Set<string>();
    passengers.forEach((d, i) => {
      if (seen.has(d.name)) this.fail(`passengers[${i}].name`, `repeats the definition ${d.name}; each name may appear once`);
      seen.add(d.name);
    });
    const users = this.array(root.users === undefined ? [] : root.users, "users").map((u, i) => this.user(u, `users[${i}]`));
    const names = new Set<string>();
    users.forEach((u, i) => {
      if (names.has(u.username)) this.fail(`users[${i}].username`, `repeats the user ${u.username}`);
      names.add(u.username);
    });
    const observers = root.observers === undefined ? [] : readObservers(this, root.observers, "observers");
    return { client: this.client, log_life_span, passengers, users, observers };
  }

  private definition(raw: unknown, path: string): PassengerDefinition {
    const d = this.object(raw, path, path);
    this.onlyKeys(d, DEFINITION_KEYS, path);
    if (typeof d.name !== "string" || !isDriverName(d.name))
      this.fail(`${path}.name`, "must be the name of a passenger type, such as databus/demo/passenger_1");
    const sync = d.sync_frequency ?? DEFAULT_SYNC_FREQUENCY;
    const sync_frequency_ms = parseDuration(sync, "m");
    if (sync_frequency_ms === null || sync_frequency_ms < 1000)
      this.fail(`${path}.sync_frequency`, 'must be minutes (a positive number) or a duration such as "30s", "5m" or "1h", at least 1s');
    if (d.pullers === undefined) this.fail(`${path}.pullers`, "is missing; a definition needs at least one puller");
    const pullers = this.drivers(d.pullers, `${path}.pullers`);
    if (pullers.length === 0) this.fail(`${path}.pullers`, "must name at least one puller");
    return {
      name: d.name as string,
      pullers,
      processors: this.drivers(d.processors === undefined ? [] : d.processors, `${path}.processors`),
      pushers: this.drivers(d.pushers === undefined ? [] : d.pushers, `${path}.pushers`),
      sync_frequency_ms: sync_frequency_ms!,
      queue_life_span: this.days(d.queue_life_span, `${path}.queue_life_span`, DEFAULT_QUEUE_LIFE_SPAN),
      retry: d.retry === undefined ? {} : this.retry(d.retry, `${path}.retry`),
      timeouts: d.timeout === undefined ? {} : this.timeouts(d.timeout, `${path}.timeout`),
    };
  }

  /** `"retry": { "base": "30s", "max_delay": "1h", "max_attempts": 10 }`, each optional. */
  private retry(raw: unknown, path: string): Partial<RetryPolicy> {
    const r = this.object(raw, path, path);
    this.onlyKeys(r, ["base", "max_delay", "max_attempts"], path);
    const out: Partial<RetryPolicy> = {};
    if (r.base !== undefined) out.baseMs = this.duration(r.base, `${path}.base`);
    if (r.max_delay !== undefined) out.maxDelayMs = this.duration(r.max_delay, `${path}.max_delay`);
    if (r.max_attempts !== undefined) {
      const n = r.max_attempts;
      if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 1000) this.fail(`${path}.max_attempts`, "must be a whole number from 1 to 1000");
      out.maxAttempts = n as number;
    }
    return out;
  }

  /** `"timeout": "2m"` (each processor and pusher) or `{ "pull": "10m", "step": "2m" }`. */
  private timeouts(raw: unknown, path: string): { pullMs?: number; stepMs?: number } {
    if (typeof raw === "string" || typeof raw === "number") return { stepMs: this.duration(raw, path) };
    const t = this.object(raw, path, path);
    this.onlyKeys(t, ["pull", "step"], path);
    return {
      ...(t.pull === undefined ? {} : { pullMs: this.duration(t.pull, `${path}.pull`) }),
      ...(t.step === undefined ? {} : { stepMs: this.duration(t.step, `${path}.step`) }),
    };
  }

  /** A duration string, or a bare number of seconds. */
  duration(raw: unknown, path: string): number {
    const ms = parseDuration(raw, "s");
    if (ms === null || ms < 1000) this.fail(path, DURATION_HINT);
    return ms!;
  }

  private drivers(raw: unknown, path: string): DriverRef[] {
    return this.array(raw, path).map((r, i) => {
      const p = `${path}[${i}]`;
      if (typeof r === "string") {
        if (!isDriverName(r)) this.fail(p, "must be a plugin name such as acme/invoice_puller (letters, digits, _ and - between slashes)");
        return { name: r, options: {} };
      }
      const o = this.object(r, p, p);
      this.onlyKeys(o, ["name", "options"], p);
      if (typeof o.name !== "string" || !isDriverName(o.name)) this.fail(`${p}.name`, "must be a plugin name such as acme/invoice_puller");
      const options = o.options === undefined ? {} : this.object(o.options, `${p}.options`, `${p}.options`);
      return { name: o.name as string, options };
    });
  }

  private user(raw: unknown, path: string): ConfigUser {
    const u = this.object(raw, path, path);
    this.onlyKeys(u, USER_KEYS, path);
    if (typeof u.username !== "string" || !isUsername(u.username))
      this.fail(`${path}.username`, "must be 1–64 letters, digits or . _ @ -");
    const role = u.role ?? "operator";
    if (!ROLES.includes(role as Role)) this.fail(`${path}.role`, `must be one of ${ROLES.join(", ")}`);
    const user: ConfigUser = { username: u.username as string, role: role as Role };
    if (u.password_hash !== undefined) {
      if (typeof u.password_hash !== "string" || !u.password_hash.startsWith("$argon2"))
        this.fail(`${path}.password_hash`, "must be an argon2 hash (run `databus hash-password`)");
      user.password_hash = u.password_hash as string;
    }
    if (u.password !== undefined) {
      if (typeof u.password !== "string" || u.password.length === 0) this.fail(`${path}.password`, "must be a non-empty text");
      user.password = u.password as string;
    }
    if (user.password === undefined && user.password_hash === undefined)
      this.fail(path, "needs a password (it is hashed on load) or a password_hash");
    return user;
  }

  private days(raw: unknown, path: string, fallback: number): number {
    if (raw === undefined) return fallback;
    if (typeof raw !== "number" || !Number.isFinite(raw) || raw < 0) this.fail(path, "must be a number of days, 0 or more");
    return raw as number;
  }

  object(raw: unknown, what: string, path: string): Record<string, unknown> {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) this.fail(path || what, `must be an object, not ${describe(raw)}`);
    return raw as Record<string, unknown>;
  }

  array(raw: unknown, path: string): unknown[] {
    if (!Array.isArray(raw)) this.fail(path, `must be a list, not ${describe(raw)}`);
    return raw as unknown[];
  }

  onlyKeys(o: Record<string, unknown>, known: string[], path: string): void {
    for (const k of Object.keys(o))
      if (!known.includes(k)) this.fail(path ? `${path}.${k}` : k, `is not a known setting (known here: ${known.join(", ")})`);
  }

  /** The line of the field, or of the nearest enclosing one when the field is missing. */
  private lineOf(path: string): number | undefined {
    for (let p = path; ; p = p.replace(PARENT_STEP, "")) {
      const line = this.parsed.positionOf(p)?.line;
      if (line !== undefined || !PARENT_STEP.test(p)) return line;
    }
  }

  fail(path: string, problem: string): never {
    const line = this.lineOf(path);
    throw new DatabusError("DBUS_CFG_INVALID_FIELD", { client: this.client, file: this.file, path, problem, line });
  }
}

/** The last step of a field path: `.key` or `[3]`. */
const PARENT_STEP = /(\.[^.[\]]+|\[\d+\])$/;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return "a text";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

/** The drivers a definition names, by kind, for checks and registries. */
export function driversOf(d: PassengerDefinition): Array<{ kind: DriverKind; ref: DriverRef }> {
  return [
    ...d.pullers.map((ref) => ({ kind: "puller" as const, ref })),
    ...d.processors.map((ref) => ({ kind: "processor" as const, ref })),
    ...d.pushers.map((ref) => ({ kind: "pusher" as const, ref })),
  ];
}
