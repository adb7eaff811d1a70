/**
 * `databus migrate --to <engine:where> [--from <engine:where>]`: copies every client (config,
 * backups, files, users, queue with attachments, logs) from one engine to another by streaming each
 * through the export archive format, with a progress line, and checks the counts at the end. The
 * source is only read. Engine options: `json:<data folder>`, `sqlite:<file>`, `mssql:<connection string>`;
 * without --from, the home's own engine.
 */
import { resolve } from "node:path";
import { DatabusError } from "../core/errors";
import type { Database } from "../storage/database";
import { createJsonDatabase } from "../storage/json/index";
import { createMssqlDatabase } from "../storage/mssql/index";
import { createSqliteDatabase } from "../storage/sqlite/index";
import { copyClient } from "../storage/transfer/index";
import type { CommandContext } from "./context";
import { describeCounts, openStore, ProgressLine } from "./export";
import { EXIT_OK, EXIT_PROBLEMS } from "./report";
import { VERSION } from "./version";

export const MIGRATE_USAGE = "migrate --to <engine:where> [--from <engine:where>]";

export async function migrateCommand(ctx: CommandContext): Promise<number> {
  const to = ctx.args.flags.to;
  if (!to) throw new DatabusError("DBUS_SET_USAGE", { problem: `Use it as: databus ${MIGRATE_USAGE}, e.g. --to sqlite:/srv/databus/data/databus.sqlite` });
  const source = ctx.args.flags.from ? engineFromSpec(ctx.args.flags.from, "--from") : await openStore(ctx.settings);
  if (ctx.args.flags.from) await source.open();
  const target = engineFromSpec(to, "--to");
  try {
    await target.open();
    const clients = await source.listClients();
    const mismatches: string[] = [];
    for (const client of clients) {
      const progress = new ProgressLine(`Copying ${client}`);
      const result = await copyClient(source, target, client, { version: VERSION, onProgress: (p) => progress.show(p) });
      progress.end();
      mismatches.push(...result.mismatches);
      ctx.out(`Copied client ${client}: ${describeCounts(result.counts)}.`);
    }
    for (const m of mismatches) ctx.out(m);
    if (mismatches.length > 0) return EXIT_PROBLEMS;
    ctx.out(`Copied ${clients.length} clients from ${source.engine} to ${target.engine}; every count matches. The source was left as it was.`);
    return EXIT_OK;
  } finally {
    await target.close();
    await source.close();
  }
}

/** `json:<data folder>`, `sqlite:<file>` or `mssql:<connection string>`, not yet opened. */
export function engineFromSpec(spec: string, flag: string): Database {
  const colon = spec.indexOf(":");
  const engine = colon < 0 ? spec : spec.slice(0, colon);
  const where = colon < 0 ? "" : spec.slice(colon + 1);
  if (!where) throw new DatabusError("DBUS_SET_USAGE", { problem: `${flag} needs an engine and where its data is, e.g. ${flag} sqlite:/srv/databus/data/databus.sqlite` });
  if (engine === "json") return createJsonDatabase(resolve(where));
  if (engine === "sqlite") return createSqliteDatabase(resolve(where));
  if (engine === "mssql") return createMssqlDatabase(where);
  throw new DatabusError("DBUS_STO_UNKNOWN_ENGINE", { engine });
}
