/**
 * Login and logout: GET shows the form, POST checks it (throttled per address) and, with "remember
 * me", issues a long-lived token; logout ends the session and revokes that token server-side.
 */
import { Elysia } from "elysia";
import { DatabusError, isDatabusError } from "../../../core/errors";
import { assertCsrf, loginToken, readLoginToken, suppliedToken } from "../../auth/csrf";
import { readCookie } from "../../auth/cookies";
import { rememberOf } from "../../auth/remember";
import { REMEMBER_COOKIE } from "../../auth/remember-token";
import { clearRememberCookie, rememberCookie, resolveClient } from "../../auth/resolve-client";
import { clearSessionCookie, sessionCookie } from "../../auth/session";
import type { Web } from "../../deps";
import { redirect } from "../../htmx";
import { renderPage } from "../../render";
import { LoginForm } from "./form";
import { checkLogin, type LoginInput } from "./login";

const field = (body: unknown, name: string): string => {
  const v = body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === "string" ? v : "";
};

export function loginRoutes(web: Web) {
  const form = async (request: Request, set: { headers: Record<string, unknown> }, input?: Partial<LoginInput & { remember: boolean }>, error?: DatabusError) => {
    const { token, setCookie } = loginToken(request);
    if (setCookie) set.headers["set-cookie"] = setCookie;
    set.headers["content-type"] = "text/html; charset=utf-8";
    return renderPage(web.site, undefined, { title: "Log in" }, LoginForm({ csrf: token, client: input?.client, username: input?.username, remember: input?.remember, error }));
  };

  const logout = new Elysia().use(resolveClient(web)).post("/logout", async ({ request, viewer, set }) => {
    web.sessions.destroy(viewer.sessionId);
    await rememberOf(web).revoke(readCookie(request, REMEMBER_COOKIE));
    set.headers["set-cookie"] = [clearSessionCookie(request), clearRememberCookie(request)];
    return redirect(request, "/login", { hard: true });
  });

  return new Elysia()
    .get("/login", ({ request, set }) => form(request, set))
    .post("/login", async ({ request, body, set, server }) => {
      const address = server?.requestIP(request)?.address ?? "unknown";
      const remember = field(body, "remember") === "on";
      const input: LoginInput = {
        client: field(body, "client").trim(),
        username: field(body, "username").trim(),
        // Never trimmed: spaces may be part of a password.
        password: field(body, "password"),
      };
      try {
        assertCsrf(readLoginToken(request), suppliedToken(request, body));
        web.throttle.check(address);
        const granted = await checkLogin(web.db, input).catch((e) => {
          if (isDatabusError(e, "DBUS_AUTH_LOGIN_FAILED")) web.throttle.recordFailure(address);
          throw e;
        });
        web.throttle.reset(address);
        const previous = web.sessions.fromRequest(request);
        if (previous) web.sessions.destroy(previous.id);
        // A fresh id at every login, so a session id planted before login is worth nothing after.
        const cookies = [sessionCookie(request, web.sessions.create(granted))];
        if (remember) cookies.push(rememberCookie(request, await rememberOf(web).issue(granted.client, granted.username)));
        set.headers["set-cookie"] = cookies;
        return redirect(request, "/", { hard: true });
      } catch (e) {
        // Failures a person can fix are shown on the form itself, with what they typed (not the password).
        if (!isDatabusError(e) || !["DBUS_AUTH_LOGIN_FAILED", "DBUS_AUTH_THROTTLED", "DBUS_AUTH_CSRF"].includes(e.code)) throw e;
        set.status = e.status;
        return form(request, set, { ...input, remember }, e);
      }
    })
    .use(logout);
}
