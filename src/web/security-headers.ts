/**
 * Security headers on every response, set before routing so errors and 404s carry them too.
 * Scripts and styles come only from this origin (htmx is served from /static), so no inline code.
 */
import { Elysia } from "elysia";

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

export function securityHeaders() {
  return new Elysia().onRequest(({ set }) => {
    Object.assign(set.headers, SECURITY_HEADERS);
    // Pages show tenant data behind a session: never let a shared cache keep them. Static assets override.
    set.headers["cache-control"] = "no-store";
  }).as("global");
}
