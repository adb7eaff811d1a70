/**
 * The Export / Import page: download the client as an archive, upload an archive into a new or
 * empty client, and the status of the latest job (which polls itself while it runs).
 */
import { CSRF_FIELD } from "../../auth/csrf";
import { attr } from "../../views/escape";
import type { TransferJob } from "./jobs";
import { JobStatus } from "./status";
import { ClientPicker } from "../../views/client-picker";

export interface ExportPageProps {
  client: string;
  csrf: string;
  /** Root administrators may import into any client id (a new one, or an empty one). */
  anyTarget: boolean;
  /** Set for root administrators: every client they may switch to. */
  clients?: string[];
  /** `?client=x` when a root administrator picked another client, else "". */
  clientQuery: string;
  job?: TransferJob;
  queueHref: string;
  /** Root administrators may copy the client to another engine (when the program offers it). */
  canCopy?: boolean;
}

export function ExportPage(props: ExportPageProps): JSX.Element {
  const { client, csrf, anyTarget, clients, clientQuery, job } = props;
  return (
    <>
      <h1>
        Export / Import of <span safe>{client}</span>
      </h1>
      {clients ? <ClientPicker action="/export" clients={clients} current={client} /> : ""}
      {job ? <JobStatus job={job} queueHref={props.queueHref} /> : ""}
      <div class="cards">
        <section class="card">
          <h2>Export</h2>
          <p>
            One file with the configuration and its backups, external config files, users (password hashes only), the queue with its
            attachments, and the logs. Plugin state (pullers' cursors) is not included.
          </p>
          <a class="button primary" id="export-download" data-test="export-download" href={attr(`/export/download${clientQuery}`)} download="">
            Download archive
          </a>
        </section>
        <section class="card">
          <h2>Import</h2>
          <form id="import-form" data-test="import-form" method="post" action="/export/import" enctype="multipart/form-data">
            <input type="hidden" name={CSRF_FIELD} value={attr(csrf)} />
            <label>
              Archive (.databus.gz)
              <input type="file" name="archive" accept=".gz,application/gzip" required />
            </label>
            {anyTarget ? (
              <label>
                Into client
                <input type="text" name="into" maxlength="32" pattern="[a-z0-9_\-]{1,32}" placeholder="the archive's own client id" />
              </label>
            ) : (
              <p>
                Into this client, <span safe>{client}</span>, which must have no queue entries and no logs.
              </p>
            )}
            <button type="submit" class="primary">
              Import
            </button>
          </form>
          <p class="hint">A new client, or one with an empty queue and no logs. Large archives run in the background; this page shows how far it got.</p>
        </section>
        {props.canCopy ? <CopyForm client={client} csrf={csrf} clientQuery={clientQuery} /> : ""}
      </div>
    </>
  );
}


/** Root administrators: copy this client into another engine (a sqlite file or an SQL Server), as `databus migrate` does. */
function CopyForm({ client, csrf, clientQuery }: { client: string; csrf: string; clientQuery: string }): JSX.Element {
  return (
    <section class="card">
      <h2>Copy to another engine</h2>
      <form id="copy-form" data-test="copy-form" method="post" action={attr(`/export/copy${clientQuery}`)}>
        <input type="hidden" name={CSRF_FIELD} value={attr(csrf)} />
        <label>
          Engine
          <select name="engine">
            <option value="sqlite">sqlite (a file on this machine)</option>
            <option value="mssql">mssql (SQL Server)</option>
          </select>
        </label>
        <label>
          Where: the sqlite file, or the SQL Server connection string
          {/* A connection string holds a password: never filled in again, not remembered by the browser. */}
          <input type="text" name="where" required autocomplete="off" spellcheck="false" placeholder="/srv/databus/data/databus.sqlite" />
        </label>
        <button type="submit" class="primary">
          Copy
        </button>
      </form>
      <p class="hint">
        Copies <span safe>{client}</span> (configuration, users, queue with attachments, logs) into the other engine and checks the counts. The target must not
        hold this client yet; this store is left as it is.
      </p>
    </section>
  );
}
