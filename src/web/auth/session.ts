/**
 * Sessions: a random id (32 bytes) in an HttpOnly, SameSite=Lax cookie; the session itself lives in
 * memory with a sliding expiry. Logout deletes it server-side, so a copied cookie is worthless after.
 */
import type { Clock } from "../../core/clock";
import type { Role } from "../../core/users";
import { isHttps, isToken, randomToken, readCookie, serializeCookie } from "./cookies";

export const SESSION_COOKIE = "databus_session";
/** Idle time after which a session ends. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;

export interface Session {
  id: string;
  client: string;
  username: string;
  role: Role;
  /** The client had no users at login: anyone may log in, and every page says so. */
  authOff: boolean;
  /** Per-session CSRF token; every POST must carry it. */
  csrf: string;
  expiresAt: number;
}

export type NewSession = Pick<Session, "client" | "username" | "role" | "authOff">;

export interface SessionStore {
  create(data: NewSession): Session;
  /** The live session for this request's cookie, its expiry pushed forward; undefined when none. */
  fromRequest(request: Request): Session | undefined;
  destroy(id: string): void;
  /** The live session with this id (no expiry push), or undefined. */
  get(id: string): Session | undefined;
  /** Ends every session that matches, e.g. a deleted user's or a deleted client's; returns how many. */
  destroyWhere(match: (session: Session) => boolean): number;
}

export function createSessionStore(clock: Clock, idleMs = SESSION_IDLE_MS): SessionStore {
  const sessions = new Map<string, Session>();

  function sweep(now: number): void {
    for (const [id, s] of sessions) if (s.expiresAt <= now) sessions.delete(id);
  }

  return {
    create(data) {
      const now = clock.now();
      // Logins are rare next to requests, so sweeping here keeps memory bounded without a timer.
      sweep(now);
      const session: Session = { ...data, id: randomToken(), csrf: randomToken(), expiresAt: now + idleMs };
      sessions.set(session.id, session);
      return session;
    },
    fromRequest(request) {
      const id = readCookie(request, SESSION_COOKIE);
      if (!isToken(id)) return undefined;
      const session = sessions.get(id);
      if (!session) return undefined;
      const now = clock.now();
      if (session.expiresAt <= now) {
        sessions.delete(id);
        return undefined;
      }
      session.expiresAt = now + idleMs;
      return session;
    },
    destroy(id) {
      sessions.delete(id);
    },
    get(id) {
      const session = sessions.get(id);
      return session && session.expiresAt > clock.now() ? session : undefined;
    },
    destroyWhere(match) {
      let ended = 0;
      for (const [id, s] of sessions)
        if (match(s)) {
          sessions.delete(id);
          ended++;
        }
      return ended;
    },
  };
}

export function sessionCookie(request: Request, session: Session): string {
  return serializeCookie(SESSION_COOKIE, session.id, { secure: isHttps(request) });
}

export function clearSessionCookie(request: Request): string {
  return serializeCookie(SESSION_COOKIE, "", { maxAge: 0, secure: isHttps(request) });
}
