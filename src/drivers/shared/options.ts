/**
 * Reads a driver's options (`ctx.options`) with one clear sentence per mistake. A wrong option will
 * not fix itself by retrying, so the error is an UnrecoverableError: the entry waits for a person,
 * who fixes the config and retries it. Shared by the files, http and mail drivers (drivers/shared/ is
 * the one folder every driver area may import besides the SDK).
 */
import { UnrecoverableError, type StepContext } from "../../sdk/index";

export class DriverOptions {
  constructor(
    private readonly driver: string,
    private readonly raw: Readonly<Record<string, unknown>>,
  ) {}

  /** A non-empty text, or the fallback when the option is absent; without a fallback it is required. */
  text(key: string, fallback?: string): string {
    const v = this.raw[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw this.problem(key, "is required");
    }
    if (typeof v !== "string" || v.trim() === "") throw this.problem(key, `must be a non-empty text, not ${describe(v)}`);
    return v;
  }

  /** One text or a list of texts. */
  texts(key: string, fallback: string[]): string[] {
    const v = this.raw[key];
    if (v === undefined || v === null) return fallback;
    const list = typeof v === "string" ? [v] : v;
    if (!Array.isArray(list) || list.length === 0 || list.some((s) => typeof s !== "string" || s === ""))
      throw this.problem(key, "must be a text or a non-empty list of texts");
    return list as string[];
  }

  choice<T extends string>(key: string, choices: readonly T[], fallback: T): T {
    const v = this.raw[key];
    if (v === undefined || v === null) return fallback;
    if (!choices.includes(v as T)) throw this.problem(key, `must be one of ${choices.map((c) => `"${c}"`).join(", ")}, not ${describe(v)}`);
    return v as T;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.raw[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "boolean") throw this.problem(key, `must be true or false, not ${describe(v)}`);
    return v;
  }

  number(key: string, fallback: number, min: number, max: number): number {
    const v = this.raw[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) throw this.problem(key, `must be a number from ${min} to ${max}, not ${describe(v)}`);
    return v;
  }

  /** An object of text values (HTTP headers). */
  textRecord(key: string): Record<string, string> {
    const v = this.raw[key];
    if (v === undefined || v === null) return {};
    if (typeof v !== "object" || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string"))
      throw this.problem(key, "must be an object whose values are texts");
    return v as Record<string, string>;
  }

  problem(key: string, what: string): UnrecoverableError {
    return new UnrecoverableError(`${this.driver}: the option \`${key}\` ${what}. Fix it in the client's configuration.`);
  }
}

/** Names the kind of a wrong value without echoing it (it may be a secret). */
function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === "") return "an empty text";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/**
 * The context with a driver subclass's option defaults (its `options` in code) under the client
 * config's options: the config wins key by key, except where it leaves a key null or out.
 */
export function withCodeDefaults<C extends StepContext>(ctx: C, defaults: object): C {
  const entries = Object.entries(defaults);
  if (entries.length === 0) return ctx;
  const options: Record<string, unknown> = Object.fromEntries(entries);
  for (const [key, value] of Object.entries(ctx.options)) if (value !== undefined && value !== null) options[key] = value;
  return { ...ctx, options };
}
