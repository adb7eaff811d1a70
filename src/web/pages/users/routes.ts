/**
 * Users (administrators; root administrators for every client via `?client=`): list, add, change
 * role, reset password, revoke remembered logins, delete. A change to a user ends their sessions,
 * so a new role or password takes effect at once.
 */
import { Elysia } from "elysia";
import { DatabusError } from "../../../core/errors";
import type { Role, User } from "../../../core/users";
import { authorize, type Viewer } from "../../auth/guard";
import { rememberOf } from "../../auth/remember";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { redirect } from "../../htmx";
import { scoped } from "../../views/client-picker";
import { ConfirmDelete } from "./confirm-delete";
import { assertMayChangeRole, assertMayDelete, findUser, firstUserProblem } from "./guards";
import { formField, parseNewPassword, parseNewUser, parseUsernameParam, roleProblem } from "./input";
import { NOTICES, UsersPage, type Notice, type UsersPageProps } from "./list";
import { UserRows } from "./rows";

const hashPassword = (password: string): Promise<string> => Bun.password.hash(password, { algorithm: "argon2id" });

export function usersRoutes(web: Web) {
  const remember = rememberOf(web);
  const scopeOf = (viewer: Viewer, client: string) => (client === viewer.client ? undefined : client);
  const endSessionsOf = (client: string, username: string) => web.sessions.destroyWhere((s) => s.client === client && s.username === username);

  async function pageProps(viewer: Viewer, client: string, users: User[], extra: Partial<UsersPageProps> = {}): Promise<UsersPageProps> {
    const rows = await Promise.all(users.map(async (u) => ({ username: u.username, role: u.role, tokens: await remember.count(client, u.username) })));
    const clients = viewer.isRoot && viewer.role === "administrator" ? await web.db.listClients() : undefined;
    const self = viewer.client === client ? viewer.username : undefined;
    return { client, clients, users: rows, csrf: viewer.csrf, scope: scopeOf(viewer, client), self, ...extra };
  }

  return new Elysia()
    .use(resolveClient(web))
    .get("/users", async ({ viewer, client, query, render }) => {
      authorize(viewer, "manage users");
      const notice = query.done && Object.hasOwn(NOTICES, query.done) ? (query.done as Notice) : undefined;
      const props = await pageProps(viewer, client, await web.db.listUsers(client), { notice });
      return render({ title: "Users", nav: "users" }, { page: () => UsersPage(props), fragment: () => UserRows(props) });
    })
    .post("/users", async ({ viewer, client, body, request, set, render }) => {
      authorize(viewer, "manage users");
      const users = await web.db.listUsers(client);
      const { input, errors } = parseNewUser(body, users.map((u) => u.username));
      errors.role ??= firstUserProblem(users, input.role);
      if (Object.values(errors).some(Boolean)) {
        set.status = 400;
        const props = await pageProps(viewer, client, users, { form: { input: { username: input.username, role: input.role }, errors } });
        return render({ title: "Users", nav: "users" }, { page: () => UsersPage(props) });
      }
      await web.db.putUser(client, { username: input.username, role: input.role, password_hash: await hashPassword(input.password) });
      if (users.length === 0) {
        // Authentication turns on now: whoever got in while it was off logs in again, as a real user.
        web.sessions.destroyWhere((s) => s.client === client && s.authOff);
        if (viewer.client === client) return redirect(request, "/login", { hard: true });
      }
      return redirect(request, scoped("/users?done=added", scopeOf(viewer, client)));
    })
    .post("/users/:username/role", async ({ viewer, client, params, body, request }) => {
      authorize(viewer, "manage users");
      const username = parseUsernameParam(params.username);
      const role = formField(body, "role");
      const problem = roleProblem(role);
      if (problem) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "role", problem });
      const users = await web.db.listUsers(client);
      assertMayChangeRole(viewer, client, users, username, role as Role);
      await web.db.putUser(client, { ...findUser(client, users, username), role: role as Role });
      endSessionsOf(client, username);
      return redirect(request, scoped("/users?done=role", scopeOf(viewer, client)));
    })
    .post("/users/:username/password", async ({ viewer, client, params, body, request }) => {
      authorize(viewer, "manage users");
      const username = parseUsernameParam(params.username);
      const password = parseNewPassword(body);
      const user = findUser(client, await web.db.listUsers(client), username);
      await web.db.putUser(client, { ...user, password_hash: await hashPassword(password) });
      await remember.revokeAll(client, username);
      // Your own other sessions end too; this one stays, so resetting your own password keeps you in.
      web.sessions.destroyWhere((s) => s.client === client && s.username === username && s.id !== viewer.sessionId);
      return redirect(request, scoped("/users?done=password", scopeOf(viewer, client)));
    })
    .post("/users/:username/revoke", async ({ viewer, client, params, request }) => {
      authorize(viewer, "manage users");
      const username = parseUsernameParam(params.username);
      findUser(client, await web.db.listUsers(client), username);
      await remember.revokeAll(client, username);
      return redirect(request, scoped("/users?done=revoked", scopeOf(viewer, client)));
    })
    .get("/users/:username/delete", async ({ viewer, client, params, render }) => {
      authorize(viewer, "manage users");
      const username = parseUsernameParam(params.username);
      assertMayDelete(viewer, client, await web.db.listUsers(client), username);
      return render({ title: "Delete user", nav: "users" }, { page: () => ConfirmDelete({ client, username, csrf: viewer.csrf, scope: scopeOf(viewer, client) }) });
    })
    .post("/users/:username/delete", async ({ viewer, client, params, request }) => {
      authorize(viewer, "manage users");
      const username = parseUsernameParam(params.username);
      assertMayDelete(viewer, client, await web.db.listUsers(client), username);
      await web.db.deleteUser(client, username);
      await remember.revokeAll(client, username);
      endSessionsOf(client, username);
      return redirect(request, scoped("/users?done=deleted", scopeOf(viewer, client)));
    });
}
