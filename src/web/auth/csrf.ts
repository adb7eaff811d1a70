/**
 * CSRF: every POST carries a token, in the form field `_csrf` or the X-CSRF-Token header. Logged in,
 * it is the session's token; on the login form (no session yet) it is a token also kept in a cookie.
 */
import { timingSafeEqual } from "node:crypto";
import { DatabusError } from "../../core/errors";
import { CSRF_HEADER } from "../htmx";
import { isHttps, isToken, randomToken, readCookie, serializeCookie } from "./cookies";

export const CSRF_FIELD = "_csrf";
export const LOGIN_CSRF_COOKIE = "databus_login_csrf";

/** The token the request carries, from the header or the parsed form body. */
export function suppliedToken(request: Request, body: unknown): string | undefined {
  const header = request.headers.get(CSRF_HEADER);
  if (header) return header;
  if (body && typeof body === "object" && CSRF_FIELD in body) {
    const value = (body as Record<string, unknown>)[CSRF_FIELD];
    if (typeof value === "string") return value;
  }
  return undefined;
}

/** Throws DBUS_AUTH_CSRF unless `supplied` equals `expected` (compared in constant time). */
export function assertCsrf(expected: string | undefined, supplied: string | undefined): void {
  if (!isToken(expected) || !isToken(supplied)) throw new DatabusError("DBUS_AUTH_CSRF", {});
  const a = Buffer.from(expected);
  const b = Buffer.from(supplied);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new DatabusError("DBUS_AUTH_CSRF", {});
}

/** The login form's token: reuse the cookie's so two open login tabs both work, or make one. */
export function loginToken(request: Request): { token: string; setCookie?: string } {
  const existing = readCookie(request, LOGIN_CSRF_COOKIE);
  if (isToken(existing)) return { token: existing };
  const token = randomToken();
  return { token, setCookie: serializeCookie(LOGIN_CSRF_COOKIE, token, { secure: isHttps(request) }) };
}

export const readLoginToken = (request: Request): string | undefined => readCookie(request, LOGIN_CSRF_COOKIE);
