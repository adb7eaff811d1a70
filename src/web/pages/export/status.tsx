/**
 * The status of one export or import job: the fragment that polls itself while the job runs (htmx
 * `every 1s`, swapping itself) and, once done, renders its final state without polling attributes.
 */
import { Alert } from "../../views/alert";
import { attr } from "../../views/escape";
import { Time } from "../../views/time";
import type { TransferJob } from "./jobs";

export const STATUS_ID = "transfer-status";

export const jobHref = (id: string): string => `/export/jobs/${id}`;

export function JobStatus({ job, queueHref }: { job: TransferJob; queueHref: string }): JSX.Element {
  const what = job.kind === "import" ? `Import into ${job.client}` : job.kind === "copy" ? `Copy of ${job.client} to ${job.to}` : `Export of ${job.client}`;
  if (job.state === "running") {
    const { entries, logs } = job.progress;
    return (
      <section id={STATUS_ID} class="card transfer" data-test="transfer-status" data-state="running" hx-get={attr(jobHref(job.id))} hx-trigger="every 1s" hx-swap="outerHTML">
        <h2 safe>{what}: running</h2>
        <p>
          Started <Time iso={job.startedAt} /> by <span safe>{job.user}</span>.
        </p>
        <label>
          Entries {entries.done} of {entries.total}
          <progress max={String(Math.max(entries.total, 1))} value={String(entries.done)} />
        </label>
        <label>
          Logs {logs.done} of {logs.total}
          <progress max={String(Math.max(logs.total, 1))} value={String(logs.done)} />
        </label>
        <p>
          <a href={attr(`/export?job=${job.id}`)}>Refresh</a> (this box refreshes itself when JavaScript is on).
        </p>
      </section>
    );
  }
  if (job.state === "failed")
    return (
      <section id={STATUS_ID} class="card transfer" data-test="transfer-status" data-state="failed">
        <h2 safe>{what}: failed</h2>
        <Alert error={job.error!} />
      </section>
    );
  const c = job.counts!;
  return (
    <section id={STATUS_ID} class="card transfer" data-test="transfer-status" data-state="done">
      <h2 safe>{what}: done</h2>
      <p>
        {job.kind === "import" ? (
          <>
            Imported the archive of <span safe>{job.from ?? job.client}</span> into client <a href={attr(queueHref)} safe>{job.client}</a>:{" "}
          </>
        ) : job.kind === "copy" ? (
          <>Copied, and every count matches (the source was left as it was): </>
        ) : (
          <>Exported: </>
        )}
        {c.entries} entries, {c.attachments} attachments, {c.logs} logs, {c.users} users, {c.files} files, {c.backups} config backups.
      </p>
    </section>
  );
}
