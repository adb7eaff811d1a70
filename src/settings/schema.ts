/**
 * Every instance setting: its type, default, flag, environment variable and help text, in one flat
 * table (the --help text and validation come from here).
 */

export interface Settings {
  /** Folder that holds data/, plugins/ and databus.json. */
  home: string;
  port: number;
  host: string;
  engine: string;
  mssqlUrl: string | null;
  /** Dispatcher tick in milliseconds. */
  tickMs: number;
  /** Shown in the console header, e.g. TEST or LIVE. */
  alias: string;
  /** Most runs at once across all clients. */
  concurrency: number;
  /** How long shutdown waits for running steps, in milliseconds. */
  graceMs: number;
  /** The retry policy's defaults; passenger definitions may change them (`retry`). */
  retryBaseMs: number;
  retryMaxDelayMs: number;
  retryMaxAttempts: number;
  /** This instance's name in run leases and the console; empty means host:pid. */
  instance: string;
  /** When set, /metrics asks for `Authorization: Bearer <token>` (its labels name the clients). */
  metricsToken: string | null;
  /** `text` for people at a terminal; `json`: one JSON object per line on stdout, for log collectors. */
  logFormat: "text" | "json";
}

export type SettingType = "path" | "port" | "text" | "duration" | "count";

export interface SettingSpec {
  key: keyof Settings;
  /** The key in databus.json when it differs from `key`; dots nest (`retry.base` is {"retry": {"base": …}}). */
  file?: string;
  flag: string;
  env: string;
  type: SettingType;
  default: string;
  help: string;
  secret?: boolean;
  /** For `text` settings that take one of a few words. */
  choices?: readonly string[];
}

export const SETTINGS: readonly SettingSpec[] = [
  { key: "home", flag: "--home", env: "DATABUS_HOME", type: "path", default: "(the folder of the binary)", help: "folder with data/, plugins/ and databus.json" },
  { key: "port", flag: "--port", env: "DATABUS_PORT", type: "port", default: "8080", help: "port of the web console" },
  { key: "host", flag: "--host", env: "DATABUS_HOST", type: "text", default: "127.0.0.1", help: "address to listen on (0.0.0.0 for every interface)" },
  { key: "engine", flag: "--engine", env: "DATABUS_ENGINE", type: "text", default: "json", help: "storage engine: json, sqlite, mssql, or plugins/<name>" },
  { key: "mssqlUrl", flag: "--mssql-url", env: "DATABUS_MSSQL_URL", type: "text", default: "", help: "SQL Server connection string (for --engine mssql)", secret: true },
  { key: "tickMs", flag: "--tick", env: "DATABUS_TICK", type: "duration", default: "60s", help: "how often the dispatcher looks for due work (1s at least)" },
  { key: "alias", flag: "--alias", env: "DATABUS_ALIAS", type: "text", default: "", help: "name shown in the console header, e.g. TEST or LIVE" },
  { key: "concurrency", flag: "--concurrency", env: "DATABUS_CONCURRENCY", type: "count", default: "8", help: "most runs at once" },
  { key: "graceMs", flag: "--grace", env: "DATABUS_GRACE", type: "duration", default: "30s", help: "how long shutdown waits for running steps" },
  { key: "retryBaseMs", file: "retry.base", flag: "--retry-base", env: "DATABUS_RETRY_BASE", type: "duration", default: "30s", help: "wait before the second attempt of a failed step; doubles each time" },
  { key: "retryMaxDelayMs", file: "retry.max_delay", flag: "--retry-max-delay", env: "DATABUS_RETRY_MAX_DELAY", type: "duration", default: "1h", help: "longest wait between attempts" },
  { key: "instance", flag: "--instance", env: "DATABUS_INSTANCE", type: "text", default: "", help: "this instance's name when several share one database (default host:pid)" },
  { key: "metricsToken", file: "metrics_token", flag: "--metrics-token", env: "DATABUS_METRICS_TOKEN", type: "text", default: "", help: "bearer token /metrics asks for (none: /metrics is open, like /healthz)", secret: true },
  { key: "logFormat", file: "log_format", flag: "--log-format", env: "DATABUS_LOG_FORMAT", type: "text", default: "text", choices: ["text", "json"], help: "server log lines: text, or json (one object per line on stdout)" },
  { key: "retryMaxAttempts", file: "retry.max_attempts", flag: "--retry-max-attempts", env: "DATABUS_RETRY_MAX_ATTEMPTS", type: "count", default: "10", help: "attempts of a step before its passenger is dead" },
];
