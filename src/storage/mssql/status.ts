/**
 * The mssql connection status as one line for /readyz, the System page and the console's 503 page.
 * Built only from the host (`host:port/database`) and catalogue messages, so it never holds the password.
 */
import type { StorageStatus } from "../database";
import type { MssqlStatus } from "./session";

export function describeStatus(s: MssqlStatus): StorageStatus {
  const since = s.since ?? undefined;
  if (s.state === "ready") return { ready: true, text: `connected to ${s.host}`, since };
  if (s.state === "closed") return { ready: false, text: `closed (${s.host})`, since };
  if (s.state === "idle") return { ready: false, text: `not connected yet to ${s.host}`, since };
  const attempt = `connecting to ${s.host}, attempt ${s.attempts}`;
  const last = s.lastError ? `: ${s.lastError.message}` : "";
  const next = s.nextAttemptAt ? ` Next attempt at ${s.nextAttemptAt}.` : "";
  return { ready: false, text: `${attempt}${last}${next}`, since };
}
