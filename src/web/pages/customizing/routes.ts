/**
 * Customizing (administrators): the client's config.json with server-side validation, its external
 * config files, and its backups with a diff and restore. Root administrators pick the client with
 * `?client=`; their client list lives in clients-routes.ts.
 */
import { Elysia } from "elysia";
import { DatabusError } from "../../../core/errors";
import { authorize, seesAllClients, type Viewer } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { redirect } from "../../htmx";
import { diffLines } from "../../views/line-diff";
import { scoped } from "../../views/client-picker";
import { BackupView } from "./backup";
import { hideHashes, restoreHashes } from "./hashes";
import { checkConfigText, formText, parseBackupId, parseFileName } from "./check";
import { Editor, NOTICES, type EditorProps, type Notice } from "./editor";
import { FileEditor } from "./file-editor";

const META = { title: "Customizing", nav: "customizing" } as const;

export function customizingRoutes(web: Web) {
  const scopeOf = (viewer: Viewer, client: string) => (client === viewer.client ? undefined : client);

  async function editorProps(viewer: Viewer, client: string, text: string, extra: Partial<EditorProps> = {}): Promise<EditorProps> {
    const check = checkConfigText(client, text, web.dispatcher.plugins());
    return {
      client,
      clients: seesAllClients(viewer) ? await web.db.listClients() : undefined,
      scope: scopeOf(viewer, client),
      csrf: viewer.csrf,
      text,
      error: check.error,
      warnings: check.warnings,
      files: await web.db.listClientFiles(client),
      backups: await web.db.listConfigBackups(client),
      managesClients: seesAllClients(viewer),
      ...extra,
    };
  }

  return new Elysia()
    .use(resolveClient(web))
    .get("/customizing", async ({ viewer, client, query, render }) => {
      authorize(viewer, "edit the configuration");
      const notice = query.done && Object.hasOwn(NOTICES, query.done) ? (query.done as Notice) : undefined;
      const text = await web.db.readConfig(client);
      // Checked as stored, shown with its hashes hidden.
      const props = await editorProps(viewer, client, text, { notice });
      return render(META, { page: () => Editor({ ...props, text: hideHashes(text) }) });
    })
    .post("/customizing", async ({ viewer, client, body, request, set, render }) => {
      authorize(viewer, "edit the configuration");
      const typed = formText(body, "text");
      const text = restoreHashes(client, typed, await web.db.readConfig(client));
      const props = await editorProps(viewer, client, text);
      if (props.error) {
        // The user's text comes back as they typed it (hashes hidden again), with the problem beside it.
        set.status = props.error.status;
        return render(META, { page: () => Editor({ ...props, text: hideHashes(text) }) });
      }
      await web.db.writeConfig(client, text);
      return redirect(request, scoped("/customizing?done=saved", scopeOf(viewer, client)));
    })
    .post("/customizing/files", async ({ viewer, client, body, request }) => {
      authorize(viewer, "edit the configuration");
      const name = parseFileName(formText(body, "name"));
      if ((await web.db.readClientFile(client, name)) !== undefined)
        throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "file name", problem: `${name} already exists; open it from the list to edit it` });
      await web.db.writeClientFile(client, name, formText(body, "text"));
      return redirect(request, scoped(`/customizing/files/${encodeURIComponent(name)}`, scopeOf(viewer, client)));
    })
    .get("/customizing/files/:name", async ({ viewer, client, params, render }) => {
      authorize(viewer, "edit the configuration");
      const name = parseFileName(params.name);
      const text = await web.db.readClientFile(client, name);
      if (text === undefined) throw new DatabusError("DBUS_WEB_NOT_FOUND", { path: `/customizing/files/${name}` });
      return render(META, { page: () => FileEditor({ client, name, text, csrf: viewer.csrf, scope: scopeOf(viewer, client) }) });
    })
    .post("/customizing/files/:name", async ({ viewer, client, params, body, request }) => {
      authorize(viewer, "edit the configuration");
      const name = parseFileName(params.name);
      await web.db.writeClientFile(client, name, formText(body, "text"));
      return redirect(request, scoped("/customizing?done=file", scopeOf(viewer, client)));
    })
    .get("/customizing/backups/:id", async ({ viewer, client, params, render }) => {
      authorize(viewer, "edit the configuration");
      const backup = await findBackup(client, params.id);
      const lines = diffLines(hideHashes(await web.db.readConfig(client)), hideHashes(await web.db.readConfigBackup(client, backup.id)));
      return render(META, { page: () => BackupView({ client, backup, lines, csrf: viewer.csrf, scope: scopeOf(viewer, client) }) });
    })
    .post("/customizing/backups/:id/restore", async ({ viewer, client, params, request }) => {
      authorize(viewer, "edit the configuration");
      const backup = await findBackup(client, params.id);
      const text = await web.db.readConfigBackup(client, backup.id);
      // A backup taken of a broken config stays a backup: restoring it would break the client again.
      const { error } = checkConfigText(client, text, []);
      if (error) throw error;
      // writeConfig keeps the current text as a backup first, so a restore can itself be undone.
      await web.db.writeConfig(client, text);
      return redirect(request, scoped("/customizing?done=restored", scopeOf(viewer, client)));
    });

  async function findBackup(client: string, raw: string) {
    const id = parseBackupId(client, raw);
    const backup = (await web.db.listConfigBackups(client)).find((b) => b.id === id);
    if (!backup) throw new DatabusError("DBUS_CFG_BACKUP_NOT_FOUND", { client, backup: id });
    return backup;
  }
}
