/** Reading the Cookie header and writing Set-Cookie values; no other file formats cookies. */

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. Omitted: a browser-session cookie. */
  maxAge?: number;
  /** Set when the request came over https, so the cookie never travels in clear. */
  secure: boolean;
}

/** HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), Path=/. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

export const isHttps = (request: Request): boolean => new URL(request.url).protocol === "https:";

/** 32 random bytes as base64url: the shape of session ids and CSRF tokens. */
export function randomToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Rejects anything that is not a token we could have issued before it reaches a lookup. */
export const isToken = (s: string | undefined): s is string => s !== undefined && TOKEN.test(s);
