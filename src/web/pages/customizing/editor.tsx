/**
 * The Customizing page: the client's config.json in an editor with its error (field and line) and
 * warnings beside it, the external config files, and the backups. The text is always the user's.
 */
import type { DatabusError } from "../../../core/errors";
import type { ConfigBackup } from "../../../storage/database";
import { CSRF_FIELD } from "../../auth/csrf";
import { Alert } from "../../views/alert";
import { attr } from "../../views/escape";
import { Time } from "../../views/time";
import { ClientPicker, scoped } from "../../views/client-picker";

export const NOTICES = {
  saved: "The configuration was saved; the previous version is under Backups.",
  restored: "The backup was restored; the version it replaced is now a backup too.",
  file: "The file was saved.",
} as const;
export type Notice = keyof typeof NOTICES;

export interface EditorProps {
  client: string;
  clients?: string[];
  scope?: string;
  csrf: string;
  text: string;
  error?: DatabusError;
  warnings: DatabusError[];
  files: string[];
  backups: ConfigBackup[];
  notice?: Notice;
  /** Root administrators also manage the client list. */
  managesClients: boolean;
}

export function Editor(props: EditorProps): JSX.Element {
  const { client, clients, scope, notice } = props;
  return (
    <>
      <h1>
        Customizing <span safe>{client}</span>
      </h1>
      {clients ? <ClientPicker action="/customizing" clients={clients} current={client} /> : ""}
      {props.managesClients ? (
        <p>
          <a href="/customizing/clients" data-test="manage-clients">Manage clients</a>
        </p>
      ) : ""}
      {notice ? (
        <p class="notice" role="status" data-test="notice">
          {NOTICES[notice]}
        </p>
      ) : ""}
      <ConfigForm {...props} />
      <Files client={client} files={props.files} csrf={props.csrf} scope={scope} />
      <Backups backups={props.backups} scope={scope} />
    </>
  );
}

function ConfigForm({ text, error, warnings, csrf, scope }: EditorProps): JSX.Element {
  return (
    <section class="card editor">
      <h2>config.json</h2>
      {error ? (
        <div id="config-error" data-test="config-error">
          <Alert error={error} />
        </div>
      ) : ""}
      {warnings.length ? (
        <ul class="warnings" data-test="config-warnings">
          {warnings.map((w) => (
            <li safe>{w.message}</li>
          ))}
        </ul>
      ) : ""}
      <form method="post" action={scoped("/customizing", scope)}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <textarea name="text" rows="24" spellcheck="false" class="mono" aria-label="config.json" aria-invalid={error ? "true" : undefined} aria-describedby={error ? "config-error" : undefined} data-test="config-text" safe>
          {text}
        </textarea>
        <p class="help">A plain-text `password` of a user is hashed when saved. Every save keeps the previous version as a backup.</p>
        <button class="primary" type="submit" data-test="save-config">
          Save
        </button>
      </form>
    </section>
  );
}

function Files({ files, csrf, scope }: { client: string; files: string[]; csrf: string; scope?: string }): JSX.Element {
  return (
    <section class="card">
      <h2>External config files</h2>
      {files.length ? (
        <ul data-test="files">
          {files.map((f) => (
            <li>
              <a href={attr(scoped(`/customizing/files/${encodeURIComponent(f)}`, scope))} safe>
                {f}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>None yet. Drivers read these files through their context.</p>
      )}
      <form method="post" action={scoped("/customizing/files", scope)} class="stacked">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <label>
          New file name
          <input name="name" required maxlength="200" />
        </label>
        <label>
          Text
          <textarea name="text" rows="6" class="mono"></textarea>
        </label>
        <button type="submit">Create file</button>
      </form>
    </section>
  );
}

function Backups({ backups, scope }: { backups: ConfigBackup[]; scope?: string }): JSX.Element {
  return (
    <section class="card">
      <h2>Backups</h2>
      {backups.length ? (
        <ul data-test="backups">
          {backups.map((b) => (
            <li>
              <a href={attr(scoped(`/customizing/backups/${encodeURIComponent(b.id)}`, scope))}>
                <Time iso={b.at} />
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>No backups yet: one is kept each time the configuration changes.</p>
      )}
    </section>
  );
}
