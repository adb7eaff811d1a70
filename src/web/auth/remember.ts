/**
 * Remember-me: issue, restore (rotating the token), revoke and count, with tokens kept in the
 * client's key-value state (`databus/console`, key `remember:<username>`). One service per app.
 */
import { iso } from "../../core/clock";
import { isDatabusError } from "../../core/errors";
import type { Web } from "../deps";
import type { NewSession, Session } from "./session";
import {
  CONSOLE_STATE, REMEMBER_MS, formatRememberCookie, hashSecret, liveRecords, matches, newToken,
  parseRememberCookie, rememberKey, type RememberCookie, type RememberRecord,
} from "./remember-token";

/** A request that arrives again with the cookie just rotated (parallel tabs) gets the same session. */
const GRACE_MS = 60_000;

export interface Restored {
  session: Session;
  /** The rotated cookie value to send back. */
  cookie: string;
}

export interface RememberService {
  /** A new token for this user; returns the cookie value. */
  issue(client: string, username: string): Promise<string>;
  /** A session from a valid cookie (the token rotates), or undefined. */
  restore(cookie: string | undefined): Promise<Restored | undefined>;
  /** Revokes the one token a cookie names (logout). */
  revoke(cookie: string | undefined): Promise<void>;
  /** Revokes every token of a user; returns how many were live. */
  revokeAll(client: string, username: string): Promise<number>;
  count(client: string, username: string): Promise<number>;
}

const services = new WeakMap<Web, RememberService>();

/** The app's service, made on first use (it keeps a small per-app memory of recent rotations). */
export function rememberOf(web: Web): RememberService {
  let service = services.get(web);
  if (!service) services.set(web, (service = createRememberService(web)));
  return service;
}

function createRememberService(web: Web): RememberService {
  const { db, clock, sessions } = web;
  const recent = new Map<string, { sessionId: string; cookie: string; until: number }>();
  // getState/setState is read-modify-write; one chain per user keeps two changes from losing each other.
  const chains = new Map<string, Promise<unknown>>();
  const inFlight = new Map<string, Promise<Restored | undefined>>();

  function edit<T>(client: string, username: string, change: (records: RememberRecord[]) => { next: RememberRecord[]; result: T }): Promise<T> {
    const key = `${client}\n${username}`;
    const run = (chains.get(key) ?? Promise.resolve()).catch(() => undefined).then(async () => {
      const now = clock.now();
      const stored = await db.getState(client, CONSOLE_STATE, rememberKey(username));
      const { next, result } = change(liveRecords(stored, now));
      const unchanged = Array.isArray(stored) && next.length === stored.length && next.every((r, i) => r === stored[i]);
      if (!unchanged) await db.setState(client, CONSOLE_STATE, rememberKey(username), next.length ? next : undefined);
      return result;
    });
    chains.set(key, run);
    void run.finally(() => chains.get(key) === run && chains.delete(key)).catch(() => undefined);
    return run;
  }

  function record(now: number): { record: RememberRecord; secret: string; id: string } {
    const { id, secret } = newToken();
    return { id, secret, record: { id, hash: hashSecret(secret), created_at: iso(now), expires_at: iso(now + REMEMBER_MS) } };
  }

  async function grantFor(client: string, username: string): Promise<NewSession | undefined> {
    try {
      const users = await db.listUsers(client);
      if (users.length === 0) return { client, username, role: "administrator", authOff: true };
      const user = users.find((u) => u.username === username);
      return user ? { client, username, role: user.role, authOff: false } : undefined;
    } catch (e) {
      // A client deleted (or a config broken) since the token was issued: the token opens nothing.
      if (isDatabusError(e) && e.code.startsWith("DBUS_CFG_")) return undefined;
      throw e;
    }
  }

  async function rotate(cookie: RememberCookie): Promise<Restored | undefined> {
    const now = clock.now();
    const again = recent.get(cookie.id);
    const alive = again && again.until > now ? sessions.get(again.sessionId) : undefined;
    if (alive && again) return { session: alive, cookie: again.cookie };
    const grant = await grantFor(cookie.client, cookie.username);
    if (!grant) return undefined;
    const fresh = record(now);
    const rotated = await edit(cookie.client, cookie.username, (records) => {
      const used = records.find((r) => r.id === cookie.id && matches(r, cookie.secret, now));
      if (!used) return { next: records, result: false };
      return { next: [...records.filter((r) => r !== used), fresh.record], result: true };
    }).catch((e) => {
      if (isDatabusError(e, "DBUS_CFG_CLIENT_NOT_FOUND")) return false;
      throw e;
    });
    if (!rotated) return undefined;
    const session = sessions.create(grant);
    const next = formatRememberCookie({ ...cookie, id: fresh.id, secret: fresh.secret });
    for (const [id, r] of recent) if (r.until <= now) recent.delete(id);
    recent.set(cookie.id, { sessionId: session.id, cookie: next, until: now + GRACE_MS });
    return { session, cookie: next };
  }

  return {
    async issue(client, username) {
      const fresh = record(clock.now());
      await edit(client, username, (records) => ({ next: [...records, fresh.record], result: undefined }));
      return formatRememberCookie({ client, username, id: fresh.id, secret: fresh.secret });
    },

    async restore(value) {
      const cookie = parseRememberCookie(value);
      if (!cookie) return undefined;
      // Requests that arrive together with the same cookie wait for the one rotation in progress.
      const pending = inFlight.get(cookie.id);
      if (pending) return pending;
      const run = rotate(cookie).finally(() => inFlight.delete(cookie.id));
      inFlight.set(cookie.id, run);
      return run;
    },

    async revoke(value) {
      const cookie = parseRememberCookie(value);
      if (!cookie) return;
      recent.delete(cookie.id);
      await edit(cookie.client, cookie.username, (records) => ({
        // Only a matching secret revokes: a forged cookie cannot log someone else out of their devices.
        next: records.filter((r) => !(r.id === cookie.id && matches(r, cookie.secret, clock.now()))),
        result: undefined,
      })).catch((e) => {
        if (isDatabusError(e, "DBUS_CFG_CLIENT_NOT_FOUND")) return;
        throw e;
      });
    },

    async revokeAll(client, username) {
      for (const [id, r] of recent) {
        const s = sessions.get(r.sessionId);
        if (s?.client === client && s.username === username) recent.delete(id);
      }
      return edit(client, username, (records) => ({ next: [], result: records.length }));
    },

    async count(client, username) {
      return liveRecords(await db.getState(client, CONSOLE_STATE, rememberKey(username)), clock.now()).length;
    },
  };
}
