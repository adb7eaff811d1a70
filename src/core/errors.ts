/**
 * The error catalogue: every failure a person can see, with a stable code, a sentence in the
 * reader's words and a next step. Flat table by design (allowed over 400 lines, see STYLE.md).
 * Code raises errors by code with typed parameters: `new DatabusError("DBUS_CFG_INVALID_JSON", {...})`.
 * Pure: no I/O.
 */

export type Audience = "operator" | "administrator" | "plugin author" | "installer";
export type ErrorLevel = "error" | "warning";

interface CatalogueEntry<P> {
  message: (p: P) => string;
  hint: (p: P) => string;
  status?: number;
  level: ErrorLevel;
  audience: Audience;
  retryable: boolean;
  since: string;
}

const entry = <P>(e: CatalogueEntry<P>): CatalogueEntry<P> => e;

/** Formats a location such as `config.json, line 3` when the line is known. */
const at = (file: string, line?: number): string => (line ? `${file}, line ${line}` : file);

/** Ends a free-text reason (often a plugin's own message) with a full stop unless it has one. */
const sentence = (text: string): string => (/[.!?]$/.test(String(text)) ? text : `${text}.`);

export const CATALOGUE = {
  DBUS_SET_INVALID: entry<{ name: string; value: string; reason: string; source: string }>({
    message: (p) => `Setting \`${p.name}\` has the value \`${p.value}\`, which is not valid: ${p.reason}.`,
    hint: (p) => `Fix it in ${p.source} (databus.json, DATABUS_* or a flag).`,
    level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_SET_USAGE: entry<{ problem: string }>({
    message: (p) => `${p.problem}.`,
    hint: () => "Run `databus --help` to see the commands and flags.",
    level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_SET_PORT_IN_USE: entry<{ port: number; host: string }>({
    message: (p) => `Port ${p.port} on ${p.host} is already in use.`,
    hint: () => "Stop the other program, or start Databus with `--port`.",
    level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_SET_HOME_LOCKED: entry<{ path: string; pid: number; lockFile: string }>({
    message: (p) => `The data folder ${p.path} is in use by another Databus (process ${p.pid}).`,
    hint: (p) =>
      `Stop that process, or do this in its web console instead (the Queue page retries and skips entries while it runs). If the process is gone, delete ${p.lockFile}.`,
    level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_SET_HOME_UNWRITABLE: entry<{ path: string; reason: string }>({
    message: (p) => `Databus cannot write to ${p.path} (${p.reason}).`,
    hint: () => "Give the user running Databus write access, or choose another folder with `--home`.",
    level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_CFG_INVALID_JSON: entry<{ client: string; file: string; line: number; column: number }>({
    message: (p) =>
      `The configuration of client ${p.client} is not valid JSON (${p.file}, line ${p.line}, column ${p.column}).`,
    hint: () => "Correct it in Customizing; the last good version is under Backups.",
    status: 400, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_CFG_INVALID_FIELD: entry<{ client: string; file: string; path: string; problem: string; line?: number }>({
    message: (p) => `Client ${p.client}: \`${p.path}\` ${p.problem} (${at(p.file, p.line)}).`,
    hint: () => "Edit the client's configuration in Customizing.",
    status: 400, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_CFG_UNKNOWN_DRIVER: entry<{ client: string; definition: string; kind: string; name: string }>({
    message: (p) =>
      `Passenger definition ${p.definition} of client ${p.client} uses the ${p.kind} \`${p.name}\`, but no plugin has that name.`,
    hint: (p) =>
      p.name.startsWith("databus/")
        ? "Check the spelling; `databus check` lists what is loaded."
        : `Check the spelling, or add plugins/${p.name}.ts. \`databus check\` lists what is loaded.`,
    status: 400, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_CFG_BROKEN_DRIVER: entry<{ client: string; definition: string; kind: string; name: string; reason: string }>({
    message: (p) =>
      `Passenger definition ${p.definition} of client ${p.client} uses the ${p.kind} \`${p.name}\`, which failed to load: ${sentence(p.reason)}`,
    hint: () => "Fix the plugin file; Databus reloads it when it changes. `databus check` shows the details.",
    status: 400, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_CFG_WRONG_KIND: entry<{ client: string; definition: string; kind: string; name: string; actual: string }>({
    message: (p) =>
      `Passenger definition ${p.definition} of client ${p.client} lists \`${p.name}\` as a ${p.kind}, but it is a ${p.actual}.`,
    hint: () => "Move the name to the list of its kind (pullers, processors or pushers).",
    status: 400, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_CFG_BAD_CLIENT_ID: entry<{ id: string }>({
    message: (p) => `\`${p.id}\` is not a valid client id.`,
    hint: () => "Use 1–32 characters from a–z, 0–9, _ and -.",
    status: 400, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_CFG_CLIENT_NOT_FOUND: entry<{ client: string }>({
    message: (p) => `There is no client ${p.client}.`,
    hint: () => "Check the client id; root administrators see the list on the Home page.",
    status: 404, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_CFG_CLIENT_EXISTS: entry<{ client: string }>({
    message: (p) => `A client ${p.client} already exists.`,
    hint: () => "Choose another id.",
    status: 409, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_CFG_BACKUP_NOT_FOUND: entry<{ client: string; backup: string }>({
    message: (p) => `Client ${p.client} has no configuration backup ${p.backup}.`,
    hint: () => "Backups older than the client's log_life_span are deleted; pick one from the Backups list.",
    status: 404, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_AUTH_LOGIN_FAILED: entry<Record<string, never>>({
    message: () => "The client, user name or password is wrong.",
    hint: () => "Check all three.",
    status: 401, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_AUTH_THROTTLED: entry<{ seconds: number }>({
    message: () => "Too many failed logins from this address.",
    hint: (p) => `Try again in ${p.seconds} seconds.`,
    status: 429, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_AUTH_REQUIRED: entry<Record<string, never>>({
    message: () => "Please log in to see this page.",
    hint: () => "Log in with your client, user name and password.",
    status: 401, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_AUTH_FORBIDDEN: entry<{ role: string; action: string; client: string }>({
    message: (p) => `Your role (${p.role}) may not ${p.action}.`,
    hint: (p) => `Ask an administrator of client ${p.client}.`,
    status: 403, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_AUTH_CSRF: entry<Record<string, never>>({
    message: () => "This form has expired.",
    hint: () => "Reload the page and submit it again.",
    status: 403, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_AUTH_USER_NOT_FOUND: entry<{ client: string; username: string }>({
    message: (p) => `Client ${p.client} has no user ${p.username}.`,
    hint: () => "Reload the Users page to see the current users.",
    status: 404, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_AUTH_SELF_CHANGE: entry<{ action: string }>({
    message: (p) => `You cannot ${p.action} your own user.`,
    hint: () => "Ask another administrator to do it.",
    status: 409, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_AUTH_LAST_ADMIN: entry<{ client: string }>({
    message: (p) => `Client ${p.client} would be left without an administrator.`,
    hint: () => "Make another user an administrator first.",
    status: 409, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_CFG_ROOT_PROTECTED: entry<Record<string, never>>({
    message: () => "The client root cannot be deleted: its administrators manage every client.",
    hint: () => "Delete other clients instead.",
    status: 409, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_WEB_NOT_FOUND: entry<{ path: string }>({
    message: (p) => `There is no page at ${p.path}.`,
    hint: () => "Use the menu to find what you were looking for.",
    status: 404, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_WEB_BAD_INPUT: entry<{ field: string; problem: string }>({
    message: (p) => `${p.field}: ${p.problem}.`,
    hint: () => "Correct the field and submit again.",
    status: 400, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_WEB_PEEK_GONE: entry<{ definition: string; puller: string; name: string }>({
    message: (p) => `The attachment ${p.name} no longer waits in the source of ${p.definition} (puller ${p.puller}).`,
    hint: () => "Open Peek again to see what waits now; it may have been pulled meanwhile.",
    status: 404, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_WEB_SHUTDOWN_UNAVAILABLE: entry<Record<string, never>>({
    message: () => "This instance cannot be shut down from the console.",
    hint: () => "Stop it the way it was started (Ctrl+C, SIGTERM, or your service manager).",
    status: 409, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_PLG_LOAD_FAILED: entry<{ file: string; reason: string; line?: number }>({
    message: (p) => `Plugin ${at(p.file, p.line)} could not be loaded: ${sentence(p.reason)}`,
    hint: () => "Fix the file; Databus reloads it when it changes. Definitions that use it wait until then.",
    level: "error", audience: "plugin author", retryable: false, since: "0.1.0",
  }),
  DBUS_PLG_BAD_EXPORT: entry<{ file: string; got: string }>({
    message: (p) =>
      `Plugin ${p.file} must export, as its default, a class that extends Puller, Processor, Pusher, Passenger, Report or Database. It exports ${p.got}.`,
    hint: () => "See plugins/types/databus.d.ts, or run `databus new`.",
    level: "error", audience: "plugin author", retryable: false, since: "0.1.0",
  }),
  DBUS_PLG_MISSING_METHOD: entry<{ kind: string; name: string; method: string }>({
    message: (p) => `The ${p.kind} \`${p.name}\` has no \`${p.method}()\` method.`,
    hint: () => "Add it; `tsc -p plugins` shows what is missing.",
    level: "error", audience: "plugin author", retryable: false, since: "0.1.0",
  }),
  DBUS_PLG_HOST_PACKAGE: entry<{ file: string; pkg: string }>({
    message: (p) => `Plugin ${p.file} imports \`${p.pkg}\`, which is built into Databus and not available to plugins.`,
    hint: () => "Install it in plugins/node_modules, or use what the `databus` module offers.",
    level: "error", audience: "plugin author", retryable: false, since: "0.1.0",
  }),
  DBUS_PLG_RESERVED_NAME: entry<{ file: string }>({
    message: (p) => `Plugin names starting with databus/ are reserved (${p.file}).`,
    hint: () => "Move the file to another folder under plugins/.",
    level: "error", audience: "plugin author", retryable: false, since: "0.1.0",
  }),
  DBUS_PLG_SCAFFOLD_EXISTS: entry<{ file: string }>({
    message: (p) => `${p.file} already exists, so nothing was written.`,
    hint: () => "Choose another name, or delete the file first.",
    level: "error", audience: "plugin author", retryable: false, since: "0.1.0",
  }),
  DBUS_PLG_BAD_REPORT: entry<{ name: string; problem: string }>({
    message: (p) => `The report \`${p.name}\` ${p.problem}.`,
    hint: () => "Fix the class (see Report in plugins/types/databus.d.ts); Databus reloads it when the file changes.",
    level: "error", audience: "plugin author", retryable: false, since: "0.1.0",
  }),
  DBUS_PLG_REPORT_FAILED: entry<{ name: string; reason: string }>({
    message: (p) => `The report \`${p.name}\` failed: ${sentence(p.reason)}`,
    hint: () => "Try other parameters, or ask the report's author to fix it. Nothing else is affected.",
    status: 502, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_PLG_REPORT_TIMEOUT: entry<{ name: string; seconds: number }>({
    message: (p) => `The report \`${p.name}\` did not finish within ${p.seconds} seconds.`,
    hint: () => "Choose a shorter period, or ask the report's author to raise its timeout.",
    status: 504, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_RUN_STEP_FAILED: entry<{ kind: string; name: string; id: string; reason: string }>({
    message: (p) => `The ${p.kind} \`${p.name}\` failed for passenger ${p.id}: ${sentence(p.reason)}`,
    hint: () => "It is tried again on the next run.",
    level: "error", audience: "operator", retryable: true, since: "0.1.0",
  }),
  DBUS_RUN_UNRECOVERABLE: entry<{ kind: string; name: string; id: string; reason: string }>({
    message: (p) => `The ${p.kind} \`${p.name}\` gave up on passenger ${p.id}: ${sentence(p.reason)}`,
    hint: () => "Fix the cause, then retry the step from the passenger's queue page.",
    level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_RUN_DEAD: entry<{ id: string; attempts: number; step: string }>({
    message: (p) => `Passenger ${p.id} stopped after ${p.attempts} failed attempts at the ${p.step} step.`,
    hint: () => "Fix the cause, then choose Retry on its queue page.",
    level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_RUN_PULL_FAILED: entry<{ name: string; definition: string; reason: string }>({
    message: (p) => `The puller \`${p.name}\` of ${p.definition} failed: ${sentence(p.reason)}`,
    hint: () => "It is tried again on the next run; the other pullers carried on.",
    level: "error", audience: "operator", retryable: true, since: "0.1.0",
  }),
  DBUS_RUN_BAD_PASSENGER: entry<{ name: string; problem: string }>({
    message: (p) => `The puller \`${p.name}\` returned a passenger that cannot be seated: ${p.problem}.`,
    hint: () => "Fix the puller; the other passengers of the run were seated.",
    level: "error", audience: "plugin author", retryable: false, since: "0.1.0",
  }),
  DBUS_RUN_STEP_TIMEOUT: entry<{ kind: string; name: string; seconds: number; id: string }>({
    message: (p) => `The ${p.kind} \`${p.name}\` did not finish within ${p.seconds} seconds (${p.id ? `passenger ${p.id}` : "while pulling"}).`,
    hint: () => "It will be retried. Raise the timeout in the definition if the source is slow.",
    level: "error", audience: "operator", retryable: true, since: "0.1.0",
  }),
  DBUS_RUN_PASSENGER_TOO_LARGE: entry<{ kind: string; name: string; id: string; limitMb: number }>({
    message: (p) =>
      `The ${p.kind} \`${p.name}\` produced passenger ${p.id} larger than ${p.limitMb} MB (payload and attachments together), so it was refused.`,
    hint: () => "Keep big files outside Databus and pass a reference, or split the item. The limit keeps one passenger from exhausting the memory every client shares.",
    level: "error", audience: "plugin author", retryable: true, since: "0.1.0",
  }),
  DBUS_RUN_PLUGIN_EXIT: entry<{ kind: string; name: string; exitCode: string }>({
    message: (p) =>
      `The ${p.kind} \`${p.name}\` called process.exit(${p.exitCode}), which would stop Databus for every client; the call was refused.`,
    hint: () => "Throw an error instead, so the step is recorded as failed and tried again.",
    level: "error", audience: "plugin author", retryable: true, since: "0.1.0",
  }),
  DBUS_DSP_PAUSED: entry<{ action: string }>({
    message: (p) => `Databus is paused, so it cannot ${p.action} now.`,
    hint: () => "Resume it on the System page.",
    status: 409, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_DSP_SHUTTING_DOWN: entry<Record<string, never>>({
    message: () => "Databus is shutting down.",
    hint: () => "Wait for it to stop, then start it again.",
    status: 503, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_DSP_UNKNOWN_DEFINITION: entry<{ client: string; definition: string }>({
    message: (p) => `Client ${p.client} has no passenger definition ${p.definition}.`,
    hint: () => "Check the definitions on the Passengers page.",
    status: 404, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_DSP_OBSERVER_FAILED: entry<{ client: string; observer: string; reason: string }>({
    message: (p) => `The observer ${p.observer} of client ${p.client} could not deliver its message: ${sentence(p.reason)}`,
    hint: () => "Check its webhook or mail settings in Customizing. An incident notice is sent again on the next check; a recovery notice is not.",
    level: "error", audience: "administrator", retryable: true, since: "0.1.0",
  }),
  DBUS_Q_ENTRY_NOT_FOUND: entry<{ client: string; id: string }>({
    message: (p) => `Client ${p.client} has no passenger ${p.id} in its queue.`,
    hint: () => "It may have been purged after it completed.",
    status: 404, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_Q_ACTION_NOT_ALLOWED: entry<{ id: string; state: string; action: string }>({
    message: (p) => `Passenger ${p.id} is ${p.state}, so it cannot be ${p.action}.`,
    hint: () => "Reload the page to see its current state.",
    status: 409, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_WRN_Q_DUPLICATE: entry<{ externalId: string; source: string }>({
    message: (p) => `Passenger ${p.externalId} from ${p.source} is already in the queue and was skipped.`,
    hint: () => "Nothing to do; sources may send the same item twice.",
    level: "warning", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_STO_DISK_FULL: entry<{ path: string }>({
    message: (p) => `The disk that holds ${p.path} is full. Nothing was lost; new work waits.`,
    hint: () => "Free some space. Databus carries on by itself.",
    status: 503, level: "error", audience: "installer", retryable: true, since: "0.1.0",
  }),
  DBUS_WRN_STO_DISK_LOW: entry<{ path: string; percent: number }>({
    message: (p) => `Only ${p.percent} % of the disk that holds ${p.path} is free.`,
    hint: () => "Free some space soon. When the disk is full, new work waits until there is room again.",
    level: "warning", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_WRN_STO_RECOVERED: entry<{ count: number }>({
    message: (p) => `${p.count} changes were recovered from the journal after an unclean stop.`,
    hint: () => "Nothing to do.",
    level: "warning", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_STO_WRITE_FAILED: entry<{ path: string; reason: string }>({
    message: (p) => `Databus could not write ${p.path} (${p.reason}). Nothing already stored was changed.`,
    hint: () => "Check the permissions and the health of the disk; the step is tried again.",
    status: 503, level: "error", audience: "installer", retryable: true, since: "0.1.0",
  }),
  DBUS_STO_CORRUPT_FILE: entry<{ path: string; reason: string }>({
    message: (p) => `The stored file ${p.path} cannot be read (${p.reason}).`,
    hint: () => "Restore it from a backup, or delete it if the entry is not needed.",
    status: 500, level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_STO_LOG_NOT_FOUND: entry<{ client: string; id: string }>({
    message: (p) => `Client ${p.client} has no log ${p.id}.`,
    hint: () => "It may have been purged after the client's log_life_span.",
    status: 404, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_STO_UNKNOWN_ENGINE: entry<{ engine: string }>({
    message: (p) => `There is no storage engine called ${p.engine}.`,
    hint: () => "Use --engine json (the default), sqlite, mssql, or plugins/<name> for an engine plugin.",
    level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_STO_SCHEMA_TOO_NEW: entry<{ found: string; expected: string }>({
    message: (p) => `The database schema is at version ${p.found}, newer than this Databus understands (${p.expected}).`,
    hint: () => "Upgrade Databus, or start the newer version that migrated this database.",
    level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_STO_UNREACHABLE: entry<{ host: string; reason: string; seconds: number }>({
    message: (p) => `The SQL Server at ${p.host} cannot be reached (${p.reason}).`,
    hint: (p) => `Check --mssql-url and the network. Databus keeps trying, waiting up to ${p.seconds} seconds between attempts.`,
    status: 503, level: "error", audience: "installer", retryable: true, since: "0.1.0",
  }),
  DBUS_STO_MIGRATIONS_PENDING: entry<{ count: number; at: string; latest: string }>({
    message: (p) => `The database is ${p.count} ${p.count === 1 ? "migration" : "migrations"} behind this Databus (it is at ${p.at}; the latest is ${p.latest}).`,
    hint: () => "Start Databus (`databus serve`): it applies pending migrations at start, in one transaction.",
    level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_STO_NOT_READY: entry<{ engine: string; status: string }>({
    message: (p) => `Storage not reachable yet: ${p.engine} ${p.status}`.replace(/([^.!?])$/, "$1."),
    hint: () => "Databus keeps trying by itself and starts its work once the store answers; reload this page in a moment. /readyz says when it is ready.",
    status: 503, level: "error", audience: "installer", retryable: true, since: "0.1.0",
  }),
  DBUS_STO_LOGIN_FAILED: entry<{ host: string; user: string }>({
    message: (p) => `The SQL Server at ${p.host} refused the login of user ${p.user}.`,
    hint: () => "Check the user name, the password and the database in --mssql-url (DATABUS_MSSQL_URL).",
    status: 503, level: "error", audience: "installer", retryable: true, since: "0.1.0",
  }),
  DBUS_STO_BAD_URL: entry<{ reason: string }>({
    message: (p) => `The SQL Server connection string is not valid: ${sentence(p.reason)}`,
    hint: () => "Use mssql://user:password@host:1433/database or Server=host,1433;Database=…;User Id=…;Password=… in --mssql-url.",
    level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
  DBUS_STO_CONFLICT: entry<{ what: string }>({
    message: (p) => `${p.what} was changed by someone else in the meantime.`,
    hint: () => "Reload and make your change again.",
    status: 409, level: "error", audience: "operator", retryable: false, since: "0.1.0",
  }),
  DBUS_EXP_NOT_ARCHIVE: entry<{ reason: string }>({
    message: (p) => `This file is not a Databus client archive (${p.reason}).`,
    hint: () => "Choose a file made by `databus export` or the Export page (it ends in .databus.gz).",
    status: 400, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_EXP_VERSION: entry<{ found: string; supported: number }>({
    message: (p) => `The archive has format version ${p.found}, but this Databus reads version ${p.supported}.`,
    hint: () => "Import it with the Databus version that made it, or a newer one.",
    status: 400, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_EXP_BAD_RECORD: entry<{ record: number; problem: string }>({
    message: (p) => `Record ${p.record} of the archive cannot be imported: ${sentence(p.problem)}`,
    hint: () => "The file is damaged or was edited. Export the client again; nothing outside the target client was changed.",
    status: 400, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_EXP_TRUNCATED: entry<{ records: number }>({
    message: (p) => `The archive ends after record ${p.records} without its closing record, so it is incomplete.`,
    hint: () => "Copy the whole file again, or export the client again. Nothing was kept from the incomplete import.",
    status: 400, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_EXP_TARGET_NOT_EMPTY: entry<{ client: string; entries: number; logs: number }>({
    message: (p) => `Client ${p.client} already has ${p.entries} queue entries and ${p.logs} logs, so nothing was imported into it.`,
    hint: () => "Import into a new client id, or into a client whose queue and logs are empty.",
    status: 409, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_EXP_TARGET_HAS_CLIENT: entry<{ client: string; target: string }>({
    message: (p) => `The target ${p.target} already holds a client ${p.client}, so nothing was copied.`,
    hint: () => "Copy to another database, or delete the client there first. The source was not changed.",
    status: 409, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_EXP_COUNT_MISMATCH: entry<{ client: string; details: string }>({
    message: (p) => `The copy of client ${p.client} does not match the source (${p.details}).`,
    hint: () => "The source was not changed. Delete the client in the target and copy it again; if it happens again, please report it.",
    status: 500, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_EXP_BUSY: entry<{ client: string; at: string; user: string }>({
    message: (p) => `An export or import of client ${p.client} is already running (started at ${p.at} by ${p.user}).`,
    hint: () => "Wait for it to finish; its progress is shown on the Export page.",
    status: 409, level: "error", audience: "administrator", retryable: false, since: "0.1.0",
  }),
  DBUS_INTERNAL: entry<{ incident: string }>({
    message: (p) => `Something went wrong inside Databus (incident ${p.incident}).`,
    hint: () => "The system log has the details under that incident id. Please report it.",
    status: 500, level: "error", audience: "installer", retryable: false, since: "0.1.0",
  }),
} as const;

/** Codes that were used once and must never be reused. */
export const RETIRED_CODES: readonly string[] = [];

export type ErrorCode = keyof typeof CATALOGUE;
export type ErrorParams<C extends ErrorCode> = Parameters<(typeof CATALOGUE)[C]["message"]>[0];

/** Parameter names whose values are never shown: messages and logs redact them. */
// Not a bare `pass`: that would also hide `passenger`, the word Databus uses most.
const SECRET_PARAMS = /passw(or)?d|passphrase|^pass$|secret|token|hash|key|credential/i;

/** A failure a person can see: a catalogue code, its typed parameters and, optionally, the cause. */
export class DatabusError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly params: ErrorParams<C>;

  constructor(code: C, params: ErrorParams<C>, options?: { cause?: unknown }) {
    super(renderMessage(code, params), options);
    this.name = "DatabusError";
    this.code = code;
    this.params = params;
  }

  get hint(): string {
    return (CATALOGUE[this.code].hint as (p: ErrorParams<C>) => string)(redact(this.params as object) as ErrorParams<C>);
  }

  get status(): number {
    return (CATALOGUE[this.code] as { status?: number }).status ?? 500;
  }

  get retryable(): boolean {
    return CATALOGUE[this.code].retryable;
  }

  /** Parameters with secret-looking names replaced, for logs. */
  get safeParams(): Record<string, unknown> {
    return redact(this.params as Record<string, unknown>);
  }
}

function renderMessage<C extends ErrorCode>(code: C, params: ErrorParams<C>): string {
  return (CATALOGUE[code].message as (p: ErrorParams<C>) => string)(redact(params as object) as ErrorParams<C>);
}

function redact(params: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = SECRET_PARAMS.test(k) ? "[redacted]" : v;
  return out;
}

export function isDatabusError(e: unknown, code?: ErrorCode): e is DatabusError {
  return e instanceof DatabusError && (code === undefined || e.code === code);
}

/** One line for people: the message, then the hint. */
export function describeError(e: DatabusError): string {
  return `${e.code} ${e.message} — ${e.hint}`;
}

/** The message of any thrown value, for recording a plugin's own failure. Never a stack trace. */
export function reasonOf(e: unknown): string {
  if (e instanceof DatabusError) return `${e.code} ${e.message}`;
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
