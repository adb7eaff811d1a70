/** One config backup: its diff against the current version, and Restore. */
import type { ConfigBackup } from "../../../storage/database";
import { CSRF_FIELD } from "../../auth/csrf";
import { Diff } from "../../views/diff";
import { attr } from "../../views/escape";
import type { DiffLine } from "../../views/line-diff";
import { Time } from "../../views/time";
import { scoped } from "../../views/client-picker";

export function BackupView({ client, backup, lines, csrf, scope }: { client: string; backup: ConfigBackup; lines: DiffLine[]; csrf: string; scope?: string }): JSX.Element {
  return (
    <section>
      <h1>
        Backup of <span safe>{client}</span> from <Time iso={backup.at} />
      </h1>
      <Diff lines={lines} beforeLabel="current version" afterLabel="this backup" />
      <form method="post" action={attr(scoped(`/customizing/backups/${encodeURIComponent(backup.id)}/restore`, scope))}>
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <button class="primary" type="submit" data-test="restore">
          Restore this version
        </button>{" "}
        <a href={scoped("/customizing", scope)}>Back to Customizing</a>
      </form>
    </section>
  );
}
