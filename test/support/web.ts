/**
 * Web test helpers: a console on a real json store in a temp home, a fake dispatcher, and a tiny
 * cookie-keeping browser that talks to `app.handle()` (no port is opened).
 */
import type { Clock } from "../../src/core/clock";
import { uuidv7 } from "../../src/core/ids";
import type { Attachment } from "../../src/core/passenger";
import { initialSteps } from "../../src/core/queue-entry";
import type { Role } from "../../src/core/users";
import type { DispatcherApi, DispatcherState } from "../../src/dispatcher/api";
import type { Database } from "../../src/storage/database";
import { createJsonDatabase } from "../../src/storage/json/index";
import { createApp } from "../../src/web/app";
import type { ReportPlugins } from "../../src/web/deps";
import { createTempHome, type TempHome } from "./temp-home";

/** What htmx 4 sends when it swaps an element other than the body. */
export const HTMX_PARTIAL = { "HX-Request": "true", "HX-Request-Type": "partial" } as const;
/** What htmx 4 sends for a history restore or a body swap: it wants the whole page. */
export const HTMX_FULL = { "HX-Request": "true", "HX-Request-Type": "full" } as const;

export interface TestUser {
  username: string;
  password: string;
  role: Role;
}

export interface TestClient {
  /** No users (or an empty list): authentication is off for this client. */
  users?: TestUser[];
  definitions?: string[];
}

/** A fake clock tests move by hand. */
export function createManualClock(start = Date.parse("2025-01-15T10:00:00Z")): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

export type FakeDispatcher = DispatcherApi & { state: DispatcherState };

export function createFakeDispatcher(state: DispatcherState = "running"): FakeDispatcher {
  return {
    state,
    lastTickAt: null,
    startedAt: "2025-01-15T09:00:00.000Z",
    running: () => [],
    currentProblems: () => [],
    plugins: () => [],
    peek: async () => [],
    nextRunAt: () => null,
    runNow: async () => {},
    pause() {},
    resume() {},
    shutdown: async () => {},
    onRunFinished: () => () => {},
    onEntryDead: () => () => {},
  };
}

// Cheap argon2id parameters: the tests check behaviour, not hashing strength.
const hash = (password: string) => Bun.password.hash(password, { algorithm: "argon2id", memoryCost: 1024, timeCost: 1 });

export async function clientConfigText(spec: TestClient): Promise<string> {
  const users = await Promise.all((spec.users ?? []).map(async (u) => ({ username: u.username, role: u.role, password_hash: await hash(u.password) })));
  const passengers = (spec.definitions ?? []).map((name) => ({ name, pullers: ["databus/demo/puller_1"] }));
  return JSON.stringify({ passengers, users }, null, 2);
}

export interface TestConsole {
  app: ReturnType<typeof createApp>;
  db: Database;
  dispatcher: FakeDispatcher;
  clock: ReturnType<typeof createManualClock>;
  browser(): Browser;
  close(): Promise<void>;
}

export async function createTestConsole(options: {
  clients: Record<string, TestClient>;
  alias?: string;
  db?: Database;
  /** Report plugins, e.g. `reportPlugins(await loadPlugins(home))`. */
  reports?: ReportPlugins;
}): Promise<TestConsole> {
  let home: TempHome | undefined;
  let db = options.db;
  if (!db) {
    home = await createTempHome("databus-web-");
    db = createJsonDatabase(home.dataDir);
    await db.open();
  }
  for (const [client, spec] of Object.entries(options.clients)) await db.createClient(client, await clientConfigText(spec));
  const dispatcher = createFakeDispatcher();
  const clock = createManualClock();
  const app = createApp({ db, dispatcher, settings: { alias: options.alias ?? "" }, version: "0.0.0-test", clock, reports: options.reports });
  const store = db;
  return {
    app,
    db: store,
    dispatcher,
    clock,
    browser: () => new Browser(app),
    close: async () => {
      await store.close();
      await home?.cleanup();
    },
  };
}

export interface Page {
  status: number;
  headers: Headers;
  text: string;
}

/** Keeps cookies between requests, like a browser, and fills in the CSRF token it last saw. */
export class Browser {
  private cookies = new Map<string, string>();
  /** The last `_csrf` value seen in a page. */
  csrf: string | undefined;

  constructor(private app: { handle(request: Request): Promise<Response> }) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.send(new Request(`http://localhost${path}`, { headers: { ...this.cookieHeader(), ...headers } }));
  }

  /** A form POST; `_csrf` is added from the last page unless the form sets it (null leaves it out). */
  async post(path: string, form: Record<string, string | null>, headers: Record<string, string> = {}): Promise<Page> {
    const body = new URLSearchParams();
    const fields = { _csrf: this.csrf ?? null, ...form };
    for (const [k, v] of Object.entries(fields)) if (v !== null) body.set(k, v);
    return this.send(
      new Request(`http://localhost${path}`, {
        method: "POST",
        body: body.toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", ...this.cookieHeader(), ...headers },
      }),
    );
  }

  /** Opens the login form, then posts it. */
  async login(client: string, username: string, password: string): Promise<Page> {
    await this.get("/login");
    return this.post("/login", { client, username, password });
  }

  /** The Cookie header this browser sends now (to replay a request later). */
  cookieLine(): string {
    return this.cookieHeader().cookie ?? "";
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
  }

  private async send(request: Request): Promise<Page> {
    const response = await this.app.handle(request);
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === "" || attrs.some((a) => a.trim().toLowerCase() === "max-age=0")) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: response.status, headers: response.headers, text };
  }
}

export interface EntrySpec {
  external_id: string;
  source_system?: string;
  type?: string;
}

/** Seats passengers in a client's queue, oldest first (ids and seat times follow the list order). */
export async function seatEntries(db: Database, client: string, specs: EntrySpec[]): Promise<void> {
  const requests = specs.map((s, i) => {
    const at = new Date(Date.parse("2025-01-15T09:00:00Z") + i * 1000).toISOString();
    const type = s.type ?? "acme/invoice";
    return {
      passenger: {
        id: uuidv7(Date.parse(at)),
        type,
        external_id: s.external_id,
        source_system: s.source_system ?? "mailbox",
        pulled_at: at,
        puller: "databus/demo/puller_1",
        payload: {},
        log_ids: [],
        attachments: [],
      },
      steps: initialSteps("databus/demo/puller_1", [], ["databus/demo/pusher_1"], at),
    };
  });
  await db.seat(client, requests);
}

export interface PassengerSpec extends EntrySpec {
  payload?: unknown;
  attachments?: Attachment[];
  processors?: string[];
  pushers?: string[];
  /** Marks the notify step done first, as a run does once the puller was told. */
  notified?: boolean;
  /** Steps to fail (index into [notify, ...processors, ...pushers]); `dead` ones get no next attempt. */
  failed?: Array<{ step: number; error?: string; dead?: boolean }>;
}

/**
 * Seats one passenger (db.seat) and drives its steps with db.updateStep as the dispatcher would, so
 * entries with failed or dead steps are real. Returns the passenger id.
 */
export async function seatPassenger(db: Database, client: string, spec: PassengerSpec, at = "2025-01-15T09:30:00.000Z"): Promise<string> {
  const id = uuidv7(Date.parse(at));
  const puller = "databus/demo/puller_1";
  const { seated } = await db.seat(client, [
    {
      passenger: {
        id,
        type: spec.type ?? "acme/invoice",
        external_id: spec.external_id,
        source_system: spec.source_system ?? "mailbox",
        pulled_at: at,
        puller,
        payload: spec.payload ?? {},
        log_ids: [],
        attachments: spec.attachments ?? [],
      },
      steps: initialSteps(puller, spec.processors ?? [], spec.pushers ?? ["databus/demo/pusher_1"], at),
    },
  ]);
  if (seated.length !== 1) throw new Error(`seatPassenger: ${spec.external_id} was not seated (duplicate?)`);
  if (spec.notified) await db.updateStep(client, id, 0, { action: "succeed", at });
  for (const f of spec.failed ?? []) {
    const nextAttemptAt = f.dead ? null : "2025-01-15T11:00:00.000Z";
    await db.updateStep(client, id, f.step, { action: "fail", at, error: f.error ?? "DBUS_RUN_STEP_FAILED target refused", nextAttemptAt });
  }
  return id;
}
