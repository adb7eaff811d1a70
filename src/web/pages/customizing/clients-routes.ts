/**
 * Root administrators manage the client list: add a client (a minimal config, optionally with a
 * first administrator), delete one after typing its id. Deleting never touches other clients; root stays.
 */
import { Elysia } from "elysia";
import { DatabusError } from "../../../core/errors";
import { isClientId } from "../../../core/ids";
import { isUsername } from "../../../core/users";
import { ROOT_CLIENT, seesAllClients, type Viewer } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { redirect } from "../../htmx";
import { formField, passwordProblem } from "../users/input";
import { CLIENT_NOTICES, ClientsPage, ConfirmDeleteClient, type AddClientForm, type ClientNotice } from "./clients";

const META = { title: "Clients", nav: "customizing" } as const;

function assertManagesClients(viewer: Viewer): void {
  if (!seesAllClients(viewer)) throw new DatabusError("DBUS_AUTH_FORBIDDEN", { role: viewer.role, action: "manage clients", client: viewer.client });
}

/** The `:id` of a URL: a valid id of an existing client. */
async function existingClient(web: Web, raw: string): Promise<string> {
  if (!isClientId(raw)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: raw.slice(0, 64) });
  if (!(await web.db.listClients()).includes(raw)) throw new DatabusError("DBUS_CFG_CLIENT_NOT_FOUND", { client: raw });
  return raw;
}

export function clientsRoutes(web: Web) {
  const summaries = async () => Promise.all((await web.db.listClients()).map(async (client) => ({ client, counts: await web.db.countEntries(client) })));

  return new Elysia()
    .use(resolveClient(web))
    .get("/customizing/clients", async ({ viewer, query, render }) => {
      assertManagesClients(viewer);
      const notice = query.done && Object.hasOwn(CLIENT_NOTICES, query.done) ? (query.done as ClientNotice) : undefined;
      const clients = await summaries();
      return render(META, { page: () => ClientsPage({ clients, csrf: viewer.csrf, notice }) });
    })
    .post("/customizing/clients", async ({ viewer, body, request, set, render }) => {
      assertManagesClients(viewer);
      const form = readAddClient(body, await web.db.listClients());
      if (Object.values(form.errors).some(Boolean)) {
        set.status = 400;
        const clients = await summaries();
        return render(META, { page: () => ClientsPage({ clients, csrf: viewer.csrf, form: form.view }) });
      }
      const users = form.username ? [{ username: form.username, role: "administrator", password_hash: await Bun.password.hash(form.password, { algorithm: "argon2id" }) }] : [];
      await web.db.createClient(form.id, `${JSON.stringify({ log_life_span: 30, passengers: [], users }, null, 2)}\n`);
      return redirect(request, "/customizing/clients?done=added");
    })
    .get("/customizing/clients/:id/delete", async ({ viewer, params, render }) => {
      assertManagesClients(viewer);
      const client = await existingClient(web, params.id);
      if (client === ROOT_CLIENT) throw new DatabusError("DBUS_CFG_ROOT_PROTECTED", {});
      const counts = await web.db.countEntries(client);
      return render(META, { page: () => ConfirmDeleteClient({ client, counts, csrf: viewer.csrf }) });
    })
    .post("/customizing/clients/:id/delete", async ({ viewer, params, body, request, set, render }) => {
      assertManagesClients(viewer);
      const client = await existingClient(web, params.id);
      if (client === ROOT_CLIENT) throw new DatabusError("DBUS_CFG_ROOT_PROTECTED", {});
      if (formField(body, "confirm").trim() !== client) {
        set.status = 400;
        const counts = await web.db.countEntries(client);
        return render(META, { page: () => ConfirmDeleteClient({ client, counts, csrf: viewer.csrf, error: `type ${client} exactly to delete it` }) });
      }
      await web.db.deleteClient(client);
      web.sessions.destroyWhere((s) => s.client === client);
      return redirect(request, "/customizing/clients?done=deleted");
    });
}

function readAddClient(body: unknown, existing: string[]) {
  const id = formField(body, "id").trim();
  const username = formField(body, "username").trim();
  const password = formField(body, "password");
  const errors: AddClientForm["errors"] = {};
  if (!isClientId(id)) errors.id = "must be 1–32 characters from a–z, 0–9, _ and -";
  else if (existing.includes(id)) errors.id = `${id} already exists`;
  if (username && !isUsername(username)) errors.username = "must be 1–64 letters, digits or . _ @ -";
  if (username || password) {
    if (!username) errors.username = "is needed with a password";
    const problem = passwordProblem(password);
    if (problem) errors.password = problem;
  }
  return { id, username, password, errors, view: { input: { id, username }, errors } satisfies AddClientForm };
}
