/**
 * Export / Import (administrators; root administrators for any client): the page, the archive
 * download (streamed as it is written), the upload that starts an import job, and the job status.
 */
import { Elysia } from "elysia";
import { DatabusError } from "../../../core/errors";
import { isClientId, isUuid } from "../../../core/ids";
import {
  ARCHIVE_MEDIA_TYPE,
  archiveFileName,
  assertImportTarget,
  exportClient,
  importClient,
  readArchiveHeader,
} from "../../../storage/transfer/index";
import { authorize, seesAllClients, type Viewer } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { redirect } from "../../htmx";
import { TransferJobs, type TransferJob } from "./jobs";
import { ExportPage } from "./page";
import { JobStatus } from "./status";

const ACTION = "export or import";
const bad = (field: string, problem: string) => new DatabusError("DBUS_WEB_BAD_INPUT", { field, problem });

export function exportRoutes(web: Web) {
  const jobs = new TransferJobs(web.clock);
  const who = (viewer: Viewer) => `${viewer.username}@${viewer.client}`;
  const queueHref = (viewer: Viewer, client: string) => (client === viewer.client ? "/queue" : `/queue?client=${encodeURIComponent(client)}`);

  /** A job is shown to root administrators, and to administrators of the client it is about. */
  const visibleJob = (viewer: Viewer, id: string | undefined): TransferJob | undefined => {
    if (id === undefined) return undefined;
    if (!isUuid(id)) throw bad("job", "must be the id of an export or import");
    const job = jobs.get(id);
    return job && (seesAllClients(viewer) || job.client === viewer.client) ? job : undefined;
  };

  return new Elysia()
    .use(resolveClient(web))
    .get("/export", async ({ viewer, client, query, render }) => {
      authorize(viewer, ACTION);
      const job = visibleJob(viewer, query.job) ?? jobs.latestFor(client);
      const props = {
        client,
        csrf: viewer.csrf,
        anyTarget: seesAllClients(viewer),
        clients: seesAllClients(viewer) ? await web.db.listClients() : undefined,
        clientQuery: client === viewer.client ? "" : `?client=${encodeURIComponent(client)}`,
        job,
        queueHref: job ? queueHref(viewer, job.client) : "/queue",
      };
      return render({ title: "Export / Import", nav: "export" }, { page: () => ExportPage(props) });
    })
    .get("/export/jobs/:id", ({ viewer, params, render }) => {
      authorize(viewer, ACTION);
      const job = visibleJob(viewer, params.id);
      if (!job) throw new DatabusError("DBUS_WEB_NOT_FOUND", { path: `/export/jobs/${params.id}` });
      const fragment = () => JobStatus({ job, queueHref: queueHref(viewer, job.client) });
      return render({ title: "Export / Import", nav: "export" }, { page: fragment, fragment });
    })
    .get("/export/download", ({ viewer, client }) => {
      authorize(viewer, ACTION);
      const job = jobs.claim("export", client, who(viewer));
      const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
      // The archive is written while the browser reads it; a failure aborts the download, so a
      // broken export never arrives looking like a whole file.
      void jobs.run(job, (onProgress) => exportClient(web.db, client, writable, onProgress, { version: web.site.version }));
      return new Response(readable, {
        headers: {
          "content-type": ARCHIVE_MEDIA_TYPE,
          "content-disposition": `attachment; filename="${archiveFileName(client, job.startedAt)}"`,
          "cache-control": "no-store",
        },
      });
    })
    .post("/export/import", async ({ viewer, body, request }) => {
      authorize(viewer, ACTION);
      const form = (body ?? {}) as Record<string, unknown>;
      const archive = form.archive;
      if (!(archive instanceof Blob) || archive.size === 0) throw bad("archive", "choose an archive file (.databus.gz)");
      const into = typeof form.into === "string" && form.into.trim() !== "" ? form.into.trim() : undefined;
      const target = seesAllClients(viewer) ? (into ?? (await readArchiveHeader(archive.stream())).client) : viewer.client;
      if (!seesAllClients(viewer) && into !== undefined && into !== viewer.client)
        throw new DatabusError("DBUS_AUTH_FORBIDDEN", { role: viewer.role, action: `import into client ${into}`, client: viewer.client });
      if (!isClientId(target)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: target });
      // Checked now as well as in the job, so an obvious refusal is an answer, not a failed job.
      await assertImportTarget(web.db, target);
      const job = jobs.claim("import", target, who(viewer));
      void jobs.run(job, async (onProgress) => {
        const result = await importClient(web.db, archive.stream(), { into: target }, onProgress);
        job.from = result.header.client;
        return result.counts;
      });
      return redirect(request, `/export?job=${job.id}`);
    });
}
