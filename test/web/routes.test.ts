/**
 * Every route of the console, one table: who may reach it. The table must list each route the app
 * has, so a new route cannot ship without deciding its roles (the per-page tests go deeper).
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createTestConsole, type TestConsole } from "../support/web";

type Needs = "public" | "operator" | "administrator" | "root";

const ROUTES: Record<string, Needs> = {
  "GET /static/htmx.min.js": "public",
  "GET /static/style.css": "public",
  "GET /favicon.svg": "public",
  "GET /healthz": "public",
  "GET /readyz": "public",
  // Public like /healthz unless metrics_token is set (tested in metrics.test.ts).
  "GET /metrics": "public",
  "GET /login": "public",
  "POST /login": "public",
  "POST /logout": "operator",
  "GET /": "operator",
  "GET /passengers": "operator",
  "GET /passengers/status": "operator",
  "POST /passengers/run": "operator",
  "GET /peek": "operator",
  "GET /peek/attachment": "operator",
  "GET /system": "root",
  "POST /system/pause": "root",
  "POST /system/resume": "root",
  "POST /system/shutdown": "root",
  "GET /about": "operator",
  "GET /queue": "operator",
  "GET /queue/bulk": "operator",
  "POST /queue/bulk": "operator",
  "GET /queue/:client/:id": "operator",
  "POST /queue/:client/:id/steps/:step/:action": "operator",
  "POST /queue/:client/:id/retry-failed": "operator",
  "GET /queue/:client/:id/delete": "administrator",
  "POST /queue/:client/:id/delete": "administrator",
  "GET /queue/:client/:id/attachments/:name": "operator",
  "GET /logs": "operator",
  "GET /logs/:client/:id": "operator",
  "GET /reports": "operator",
  "GET /reports/download": "operator",
  // A report plugin's page (`/reports/plugins/acme/x`) and its downloads (`….csv`, `….json`); see report-plugins.test.ts.
  "GET /reports/plugins/*": "operator",
  "GET /users": "administrator",
  "POST /users": "administrator",
  "POST /users/:username/role": "administrator",
  "POST /users/:username/password": "administrator",
  "POST /users/:username/revoke": "administrator",
  "GET /users/:username/delete": "administrator",
  "POST /users/:username/delete": "administrator",
  "GET /customizing": "administrator",
  "POST /customizing": "administrator",
  "POST /customizing/files": "administrator",
  "GET /customizing/files/:name": "administrator",
  "POST /customizing/files/:name": "administrator",
  "GET /customizing/backups/:id": "administrator",
  "POST /customizing/backups/:id/restore": "administrator",
  "GET /customizing/clients": "root",
  "POST /customizing/clients": "root",
  "GET /customizing/clients/:id/delete": "root",
  "POST /customizing/clients/:id/delete": "root",
  "GET /export": "administrator",
  "GET /export/jobs/:id": "administrator",
  "GET /export/download": "administrator",
  "POST /export/import": "administrator",
  "POST /export/copy": "root",
};

const PARAMS: Record<string, string> = {
  client: "acme",
  id: "01890a5d-ac96-774b-bcce-b302099a8057",
  step: "1",
  action: "retry",
  name: "notes.txt",
  username: "zed",
};
const concrete = (path: string) => path.replace(/:(\w+)/g, (_, k: string) => PARAMS[k] ?? k);

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-password`, role });

describe("every console route", () => {
  let t: TestConsole;
  beforeAll(async () => {
    t = await createTestConsole({
      clients: {
        acme: { users: [user("otto", "operator"), user("ada", "administrator"), user("zed", "operator")] },
        root: { users: [user("rita", "administrator")] },
      },
    });
  });
  afterAll(() => t.close());

  const routes = () => t.app.routes.map((r) => `${r.method} ${r.path}`);
  const send = async (who: { client: string; username: string } | null, route: string) => {
    const b = t.browser();
    if (who) await b.login(who.client, who.username, `${who.username}-password`);
    await b.get("/"); // a page, so the browser holds a CSRF token for POSTs
    const [method, path] = route.split(" ") as [string, string];
    return method === "GET" ? b.get(concrete(path)) : b.post(concrete(path), {});
  };

  it("are all in the table, and the table lists no route the app lacks", () => {
    expect(routes().filter((r) => !(r in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !routes().includes(r))).toEqual([]);
  });

  it("send anonymous visitors to the login page, except the public ones", async () => {
    for (const route of Object.keys(ROUTES).filter((r) => ROUTES[r] !== "public")) {
      const page = await send(null, route);
      expect({ route, status: page.status, location: page.headers.get("location") }).toEqual({ route, status: 303, location: "/login" });
    }
  });

  it("open every page without parameters to the roles that may see it", async () => {
    const needsInput = new Set(["GET /peek/attachment", "GET /passengers/status", "GET /export/download", "GET /queue/bulk", "GET /reports/plugins/*"]);
    const pages = Object.keys(ROUTES).filter((r) => r.startsWith("GET ") && !r.includes(":") && !needsInput.has(r) && ROUTES[r] !== "public");
    const who = { operator: { client: "acme", username: "otto" }, administrator: { client: "acme", username: "ada" }, root: { client: "root", username: "rita" } };
    for (const route of pages) {
      const page = await send(who[ROUTES[route] as keyof typeof who], route);
      expect({ route, status: page.status }).toEqual({ route, status: 200 });
    }
  });

  it("refuse operators on administrator and root routes with 403", async () => {
    for (const route of Object.keys(ROUTES).filter((r) => ROUTES[r] === "administrator" || ROUTES[r] === "root")) {
      const page = await send({ client: "acme", username: "otto" }, route);
      expect({ route, status: page.status }).toEqual({ route, status: 403 });
    }
  });

  it("refuse administrators of a client other than root on root routes with 403", async () => {
    for (const route of Object.keys(ROUTES).filter((r) => ROUTES[r] === "root")) {
      const page = await send({ client: "acme", username: "ada" }, route);
      expect({ route, status: page.status }).toEqual({ route, status: 403 });
    }
  });

  it("refuse a user of another client on every client-scoped route with 403", async () => {
    const scoped = Object.keys(ROUTES).filter((r) => r.includes(":client") && ROUTES[r] !== "root");
    expect(scoped.length).toBeGreaterThan(5);
    for (const route of scoped) {
      const [method, path] = route.split(" ") as [string, string];
      // An acme administrator asking for root's data in the path.
      const other = t.browser();
      await other.login("acme", "ada", "ada-password");
      await other.get("/");
      const url = concrete(path).replace("/acme/", "/root/");
      const page = method === "GET" ? await other.get(url) : await other.post(url, {});
      expect({ route, status: page.status }).toEqual({ route, status: 403 });
    }
  });

  it("refuse a user of another client who names it in ?client= with 403", async () => {
    const pages = Object.keys(ROUTES).filter((r) => r.startsWith("GET ") && !r.includes(":") && (ROUTES[r] === "operator" || ROUTES[r] === "administrator"));
    const ada = t.browser();
    await ada.login("acme", "ada", "ada-password");
    for (const route of pages) {
      const path = route.slice(4);
      const page = await ada.get(`${path}?client=root`);
      expect({ route, status: page.status }).toEqual({ route, status: 403 });
    }
  });
});
