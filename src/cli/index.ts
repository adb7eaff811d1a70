/** The command table: name → module and one-line help; `run` dispatches argv to a command. */
import { DatabusError } from "../core/errors";
import { defaultHome, loadSettings } from "../settings/load";
import { SETTINGS, type Settings } from "../settings/schema";
import { parseArgs, type ParsedArgs } from "./args";
import { checkCommand } from "./check";
import type { Command, CommandContext } from "./context";
import { exportCommand } from "./export";
import { hashPasswordCommand } from "./hash-password";
import { importCommand } from "./import";
import { MIGRATE_USAGE, migrateCommand } from "./migrate";
import { newCommand } from "./new-command";
import { QUEUE_USAGE, queueCommand } from "./queue";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, formatProblem } from "./report";
import { serveCommand } from "./serve";
import { createServerLog } from "./server-log";
import { typesCommand } from "./types-command";
import { VERSION } from "./version";

interface CommandSpec {
  run: Command;
  usage: string;
  help: string;
}

export const COMMANDS: Record<string, CommandSpec> = {
  serve: { run: serveCommand, usage: "serve", help: "run the dispatcher and the web console (the default)" },
  check: { run: checkCommand, usage: "check", help: "validate settings, every client config and every plugin; exit 1 on problems" },
  new: { run: newCommand, usage: "new puller|processor|pusher|passenger <name>", help: "write a typed starting file plugins/<name>.ts" },
  types: { run: typesCommand, usage: "types", help: "write plugins/types/databus.d.ts and plugins/tsconfig.json for editors and tsc" },
  export: { run: exportCommand, usage: "export <client> [--out file]", help: "write one client (config, users, queue, logs) to a .databus.gz archive" },
  import: { run: importCommand, usage: "import <file> [--into client]", help: "read an archive into a new client, or one with an empty queue and no logs" },
  migrate: { run: migrateCommand, usage: MIGRATE_USAGE, help: "copy every client to another engine (json, sqlite, mssql), checking the counts" },
  queue: { run: queueCommand, usage: QUEUE_USAGE.replace("databus ", ""), help: "list, retry or skip queue entries (stop the server first; while it runs, use the console)" },
  "hash-password": { run: hashPasswordCommand, usage: "hash-password", help: "read a password on stdin, print its argon2id hash for a config" },
};

export function helpText(): string {
  const cmds = Object.values(COMMANDS).map((c) => `  databus ${c.usage.padEnd(46)} ${c.help}`);
  const flags = SETTINGS.map((s) => `  ${`${s.flag} <${s.type}>`.padEnd(22)} ${s.env.padEnd(20)} ${s.help} (default ${s.default || "none"})`);
  return [
    `Databus ${VERSION}: pulls passengers from source systems, queues them durably, processes and pushes them.`,
    "",
    "Commands:",
    ...cmds,
    "",
    "Flags (each also read from its environment variable; databus.json in the home may set them too):",
    ...flags,
    "  --help, --version",
  ].join("\n");
}

export async function run(argv: string[], out = console.log, err = console.error): Promise<number> {
  // Once `serve` has its log, even the line about a failed start goes through it (one JSON object in json).
  let fail = err;
  try {
    const args = parseArgs(argv);
    if (args.flags.help) return out(helpText()), EXIT_OK;
    if (args.flags.version) return out(`databus ${VERSION}`), EXIT_OK;
    const name = args.command ?? "serve";
    const spec = COMMANDS[name];
    if (!spec) throw new DatabusError("DBUS_SET_USAGE", { problem: `There is no command ${name}` });
    const settings = loadSettings({ flags: args.flags, env: process.env, defaultHome: defaultHome() });
    const ctx: CommandContext = name === "serve" ? serverContext(args, settings, out, err) : { args, settings, out, err };
    fail = ctx.err;
    return await spec.run(ctx);
  } catch (e) {
    fail(formatProblem(e));
    if (e instanceof DatabusError) return e.code === "DBUS_SET_USAGE" ? EXIT_USAGE : EXIT_PROBLEMS;
    if (e instanceof Error && e.stack) fail(e.stack);
    return EXIT_PROBLEMS;
  }
}

/** `serve` writes through its log: text as before, or one JSON object per line (`--log-format json`). */
function serverContext(args: ParsedArgs, settings: Settings, out: (l: string) => void, err: (l: string) => void): CommandContext {
  const log = createServerLog({ format: settings.logFormat, secrets: [settings.mssqlUrl, settings.metricsToken], stdout: out, stderr: err });
  // The process ends with the server, so the console stays captured until exit.
  log.captureConsole();
  return { args, settings, out: (l) => log.write("info", l), err: (l) => log.write("error", l), log };
}
