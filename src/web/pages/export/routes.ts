/**
 * Export / Import (administrators; root administrators for any client): the page, the archive
 * download (streamed as it is written), the upload that starts an import job, the copy of a client to
 * another engine (root administrators), and the job status.
 */
import { Elysia } from "elysia";
import { DatabusError } from "../../../core/errors";
import { isClientId, isUuid } from "../../../core/ids";
import {
  ARCHIVE_MEDIA_TYPE,
  archiveFileName,
  assertImportTarget,
  copyClient,
  exportClient,
  importClient,
  readArchiveHeader,
  type ArchiveCounts,
  type OnProgress,
} from "../../../storage/transfer/index";
import type { Database } from "../../../storage/database";
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
        canCopy: seesAllClients(viewer) && web.openCopyTarget !== null,
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
    })
    .post("/export/copy", ({ viewer, client, body, request }) => {
      authorize(viewer, ACTION);
      if (!seesAllClients(viewer) || !web.openCopyTarget)
        throw new DatabusError("DBUS_AUTH_FORBIDDEN", { role: viewer.role, action: "copy a client to another engine", client: viewer.client });
      const form = (body ?? {}) as Record<string, unknown>;
      const engine = form.engine;
      if (engine !== "sqlite" && engine !== "mssql") throw bad("engine", "choose sqlite or mssql");
      // Never echo `where` back: for mssql it is a connection string with a password.
      const target = web.openCopyTarget(engine, typeof form.where === "string" ? form.where : "");
      const job = jobs.claim("copy", client, who(viewer));
      job.to = target.label;
      void jobs.run(job, (onProgress) => copyToTarget(web, client, target, onProgress));
      return redirect(request, `/export?job=${job.id}${client === viewer.client ? "" : `&client=${encodeURIComponent(client)}`}`);
    });
}

/** The copy job: the target must not hold the client yet; the counts must match at the end; the target is closed after. */
async function copyToTarget(web: Web, client: string, target: { db: Database; label: string }, onProgress: OnProgress): Promise<ArchiveCounts> {
  try {
    await target.db.open();
    if ((await target.db.listClients()).includes(client)) throw new DatabusError("DBUS_EXP_TARGET_HAS_CLIENT", { client, target: target.label });
    const result = await copyClient(web.db, target.db, client, { version: web.site.version, onProgress });
    if (result.mismatches.length > 0) throw new DatabusError("DBUS_EXP_COUNT_MISMATCH", { client, details: result.mismatches.map((m) => m.replace(/\.$/, "")).join("; ") });
    return result.counts;
  } finally {
    await target.db.close();
  }
}
