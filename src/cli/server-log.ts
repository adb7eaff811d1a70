/**
 * The server's own log lines (`--log-format text|json`). In json every line the process writes is one
 * JSON object on stdout — ours, the console's and a plugin's `console.log` alike — so a collector
 * never meets a stray line. Secrets (the SQL Server url, passwords, tokens) are masked in both formats.
 */
import { format } from "node:util";
import type { LogLevel } from "../core/log";

export type LogFormat = "text" | "json";

/** Fields a line may carry besides its message; JSON lines hold them as keys. */
export interface LogFields {
  client?: string;
  definition?: string;
  /** The run's log id. */
  run?: string;
  code?: string;
  [key: string]: unknown;
}

export interface ServerLog {
  readonly format: LogFormat;
  write(level: LogLevel, msg: string, fields?: LogFields): void;
  /** Routes console.* through this log (json only; text leaves the console alone). Returns the undo. */
  captureConsole(): () => void;
}

export interface ServerLogOptions {
  format: LogFormat;
  /** Exact texts never to print (the SQL Server url, the metrics token). */
  secrets: Array<string | null | undefined>;
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  now?: () => Date;
}

/** `Password=…;` in connection strings and `user:password@` in URLs. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\b(password|pwd|passwd)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^;,\s&]+)/gi, "$1$2[redacted]"],
  [/\/\/([^:/@\s]+):([^@\s/]+)@/g, "//$1:[redacted]@"],
];

/** The leading catalogue code of a line such as `DBUS_CFG_INVALID_JSON The configuration …`. */
const CODE = /^(?:[a-z]+: )?(DBUS_[A-Z_]+)\b/;

export function createServerLog(o: ServerLogOptions): ServerLog {
  const stdout = o.stdout ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const stderr = o.stderr ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const now = o.now ?? (() => new Date());
  const secrets = o.secrets.filter((s): s is string => typeof s === "string" && s.length > 0);
  const mask = (text: string): string => {
    let out = text;
    for (const s of secrets) out = out.split(s).join("[redacted]");
    for (const [re, to] of SECRET_PATTERNS) out = out.replace(re, to);
    return out;
  };
  const write = (level: LogLevel, msg: string, fields: LogFields = {}): void => {
    const text = mask(msg);
    if (o.format === "text") return (level === "info" ? stdout : stderr)(text);
    const code = fields.code ?? CODE.exec(text)?.[1];
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) extra[k] = typeof v === "string" ? mask(v) : v;
    // time, level and msg first so a person reading the raw stream still finds them.
    stdout(JSON.stringify({ time: now().toISOString(), level, msg: text, ...extra, ...(code ? { code } : {}) }));
  };
  return {
    format: o.format,
    write,
    captureConsole() {
      if (o.format === "text") return () => {};
      const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn, error: console.error };
      const to = (level: LogLevel) => (...args: unknown[]) => write(level, format(...args));
      console.log = to("info");
      console.info = to("info");
      console.debug = to("info");
      console.warn = to("warning");
      console.error = to("error");
      return () => Object.assign(console, saved);
    },
  };
}
