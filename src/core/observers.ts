/**
 * The `observers` section of a client config: who is told (webhook or mail) about which incidents
 * (a run with errors, an entry going dead, a definition silent too long). Parsing only. Pure.
 */

export type ObserverEvent = "run_errors" | "entry_dead" | "silence";
export const OBSERVER_EVENTS: readonly ObserverEvent[] = ["run_errors", "entry_dead", "silence"];

export const DEFAULT_SILENCE_FACTOR = 3;
export const DEFAULT_OBSERVER_TIMEOUT_MS = 10_000;

export interface WebhookTarget {
  kind: "webhook";
  url: string;
  /** Signs each body with HMAC-SHA256 (header `X-Databus-Signature: sha256=<hex>`) when set. */
  secret: string | null;
  timeoutMs: number;
}

export interface MailTarget {
  kind: "mail";
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
  to: string[];
  timeoutMs: number;
}

export interface ObserverConfig {
  /** Names the observer in messages and keeps its incident state (default `observers[<index>]`). */
  name: string;
  on: ObserverEvent[];
  /** Silent means no successful run within this many times the definition's sync_frequency. */
  silenceFactor: number;
  target: WebhookTarget | MailTarget;
}

/** The checks the client config reader offers (client.ts), so problems here name file, path and line alike. */
export interface FieldChecks {
  object(raw: unknown, what: string, path: string): Record<string, unknown>;
  array(raw: unknown, path: string): unknown[];
  onlyKeys(o: Record<string, unknown>, known: string[], path: string): void;
  duration(raw: unknown, path: string): number;
  fail(path: string, problem: string): never;
}

const OBSERVER_KEYS = ["name", "on", "silence_factor", "webhook", "mail"];
const WEBHOOK_KEYS = ["url", "secret", "timeout"];
const MAIL_KEYS = ["host", "port", "secure", "user", "password", "from", "to", "timeout"];
/** Loose on purpose: the mail server has the last word; this catches a missing @ or a stray comma. */
const MAIL_ADDRESS = /^[^\s@,;<>]+@[^\s@,;<>]+$/;

export function readObservers(r: FieldChecks, raw: unknown, path: string): ObserverConfig[] {
  const list = r.array(raw, path).map((o, i) => readObserver(r, o, `${path}[${i}]`));
  const names = new Set<string>();
  list.forEach((o, i) => {
    if (names.has(o.name)) r.fail(`${path}[${i}].name`, `repeats the observer ${o.name}; each name may appear once`);
    names.add(o.name);
  });
  return list;
}

function readObserver(r: FieldChecks, raw: unknown, path: string): ObserverConfig {
  const o = r.object(raw, path, path);
  r.onlyKeys(o, OBSERVER_KEYS, path);
  if (o.name !== undefined && (typeof o.name !== "string" || !/^[\w .@-]{1,64}$/.test(o.name)))
    r.fail(`${path}.name`, "must be 1–64 letters, digits, spaces or . _ @ -");
  const on = o.on === undefined ? [...OBSERVER_EVENTS] : r.array(o.on, `${path}.on`);
  on.forEach((e, i) => {
    if (!OBSERVER_EVENTS.includes(e as ObserverEvent)) r.fail(`${path}.on[${i}]`, `must be one of ${OBSERVER_EVENTS.join(", ")}`);
  });
  if (on.length === 0) r.fail(`${path}.on`, `must name at least one of ${OBSERVER_EVENTS.join(", ")}`);
  const factor = o.silence_factor ?? DEFAULT_SILENCE_FACTOR;
  if (typeof factor !== "number" || !Number.isFinite(factor) || factor < 1 || factor > 1000)
    r.fail(`${path}.silence_factor`, "must be a number from 1 to 1000 (times the definition's sync_frequency)");
  if ((o.webhook === undefined) === (o.mail === undefined)) r.fail(path, "needs exactly one of webhook or mail");
  const target = o.webhook !== undefined ? webhook(r, o.webhook, `${path}.webhook`) : mail(r, o.mail, `${path}.mail`);
  return { name: (o.name as string | undefined) ?? path, on: [...new Set(on as ObserverEvent[])], silenceFactor: factor as number, target };
}

function webhook(r: FieldChecks, raw: unknown, path: string): WebhookTarget {
  const w = r.object(raw, path, path);
  r.onlyKeys(w, WEBHOOK_KEYS, path);
  if (typeof w.url !== "string" || !isHttpUrl(w.url)) r.fail(`${path}.url`, "must be an http:// or https:// address");
  if (w.secret !== undefined && (typeof w.secret !== "string" || w.secret.length === 0)) r.fail(`${path}.secret`, "must be a non-empty text");
  return {
    kind: "webhook",
    url: w.url as string,
    secret: (w.secret as string | undefined) ?? null,
    timeoutMs: w.timeout === undefined ? DEFAULT_OBSERVER_TIMEOUT_MS : r.duration(w.timeout, `${path}.timeout`),
  };
}

function mail(r: FieldChecks, raw: unknown, path: string): MailTarget {
  const m = r.object(raw, path, path);
  r.onlyKeys(m, MAIL_KEYS, path);
  if (typeof m.host !== "string" || m.host.length === 0) r.fail(`${path}.host`, "must be the SMTP server's host name");
  const port = m.port ?? (m.secure === true ? 465 : 587);
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) r.fail(`${path}.port`, "must be a port from 1 to 65535");
  if (m.secure !== undefined && typeof m.secure !== "boolean") r.fail(`${path}.secure`, "must be true or false");
  for (const k of ["user", "password"] as const)
    if (m[k] !== undefined && (typeof m[k] !== "string" || m[k] === "")) r.fail(`${path}.${k}`, "must be a non-empty text");
  if (typeof m.from !== "string" || !MAIL_ADDRESS.test(m.from)) r.fail(`${path}.from`, "must be a mail address such as databus@example.com");
  const to = typeof m.to === "string" ? [m.to] : r.array(m.to ?? [], `${path}.to`);
  if (to.length === 0) r.fail(`${path}.to`, "must name at least one mail address");
  to.forEach((a, i) => {
    if (typeof a !== "string" || !MAIL_ADDRESS.test(a)) r.fail(`${path}.to[${i}]`, "must be a mail address such as ops@example.com");
  });
  return {
    kind: "mail",
    host: m.host as string,
    port: port as number,
    secure: m.secure === true,
    user: (m.user as string | undefined) ?? null,
    password: (m.password as string | undefined) ?? null,
    from: m.from as string,
    to: to as string[],
    timeoutMs: m.timeout === undefined ? DEFAULT_OBSERVER_TIMEOUT_MS : r.duration(m.timeout, `${path}.timeout`),
  };
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}
