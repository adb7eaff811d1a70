/**
 * Instance settings: defaults < databus.json < DATABUS_* environment < flags. Every value is
 * validated; a bad one is DBUS_SET_INVALID naming the setting, the value and where it came from.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseDuration } from "../core/duration";
import { DatabusError } from "../core/errors";
import { SETTINGS, type SettingSpec, type Settings } from "./schema";

export interface SettingsSources {
  flags: Record<string, string>;
  env: Record<string, string | undefined>;
  /** Where the program runs from, for the default home. */
  defaultHome: string;
}

/** True inside a `bun build --compile` binary, whose modules live under /$bunfs/. */
export const isCompiled = (): boolean => import.meta.path.includes("$bunfs") || import.meta.path.includes("~BUN");

/** Next to the binary when compiled; `.home/` in a checkout, so a dev run never dirties tracked files. */
export function defaultHome(): string {
  return isCompiled() ? dirname(process.execPath) : resolve(import.meta.dir, "../../.home");
}

export function loadSettings(src: SettingsSources): Settings {
  const raw = new Map<keyof Settings, { value: string; source: string }>();
  const set = (spec: SettingSpec, value: string | undefined, source: string) => {
    if (value !== undefined) raw.set(spec.key, { value, source });
  };
  for (const spec of SETTINGS) set(spec, spec.key === "home" ? src.defaultHome : spec.default, "the defaults");
  for (const spec of SETTINGS) set(spec, src.env[spec.env], spec.env);
  for (const spec of SETTINGS) set(spec, src.flags[spec.flag.slice(2)], spec.flag);
  const home = resolve(raw.get("home")!.value);
  const file = readSettingsFile(join(home, "databus.json"));
  for (const spec of SETTINGS) {
    const fromFile = valueAt(file, spec.file ?? spec.key);
    const current = raw.get(spec.key)!;
    // databus.json sits between the defaults and the environment: it only replaces defaults.
    if (fromFile !== undefined && current.source === "the defaults" && spec.key !== "home")
      raw.set(spec.key, { value: String(fromFile), source: "databus.json" });
  }
  const out = { home } as Record<string, unknown>;
  for (const spec of SETTINGS) if (spec.key !== "home") out[spec.key] = convert(spec, raw.get(spec.key)!);
  return out as unknown as Settings;
}

function convert(spec: SettingSpec, { value, source }: { value: string; source: string }): unknown {
  const bad = (reason: string): never => {
    throw new DatabusError("DBUS_SET_INVALID", { name: spec.flag.slice(2), value: spec.secret ? "[redacted]" : value, reason, source });
  };
  switch (spec.type) {
    case "port": {
      const n = Number(value);
      return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : bad("a port is a whole number from 0 to 65535");
    }
    case "count": {
      const n = Number(value);
      return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : bad("it must be a whole number from 1 to 1000");
    }
    case "duration": {
      const ms = parseDuration(value, "s");
      return ms !== null && ms >= 1000 ? ms : bad('it must be a duration such as "1s", "60s" or "5m", at least 1s');
    }
    case "text":
    case "path":
      if (spec.choices && !spec.choices.includes(value)) return bad(`it must be one of ${spec.choices.join(", ")}`);
      return spec.key === "mssqlUrl" || spec.key === "metricsToken" ? value || null : value;
  }
}

function readSettingsFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    const known = new Set<string>(SETTINGS.map((s) => (s.file ?? s.key).split(".")[0]!));
    for (const k of Object.keys(parsed))
      if (!known.has(k)) throw new DatabusError("DBUS_SET_INVALID", { name: k, value: String(parsed[k]), reason: `it is not a setting (known: ${[...known].join(", ")})`, source: path });
    return parsed;
  } catch (e) {
    if (e instanceof DatabusError) throw e;
    throw new DatabusError("DBUS_SET_INVALID", { name: "databus.json", value: path, reason: "the file is not a JSON object", source: path }, { cause: e });
  }
}

/** `retry.base` → file.retry.base; undefined when any step is missing. */
function valueAt(file: Record<string, unknown>, dotted: string): unknown {
  let v: unknown = file;
  for (const part of dotted.split(".")) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}
