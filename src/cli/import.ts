/**
 * `databus import <file> [--into id]`: reads an archive made by `databus export` (or the Export page)
 * into a new client, or an existing client with no entries and no logs.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { DatabusError } from "../core/errors";
import { isClientId } from "../core/ids";
import { importClient } from "../storage/transfer/index";
import type { CommandContext } from "./context";
import { describeCounts, openStore, ProgressLine } from "./export";
import { EXIT_OK } from "./report";

export async function importCommand(ctx: CommandContext): Promise<number> {
  const [file, extra] = ctx.args.positional;
  if (!file || extra !== undefined) throw new DatabusError("DBUS_SET_USAGE", { problem: "Use it as: databus import <file> [--into client]" });
  const into = ctx.args.flags.into;
  if (into !== undefined && !isClientId(into)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: into });
  const path = resolve(file);
  if (!existsSync(path)) throw new DatabusError("DBUS_SET_USAGE", { problem: `There is no file ${path}` });
  const db = await openStore(ctx.settings);
  const progress = new ProgressLine(`Importing ${file}`);
  try {
    const result = await importClient(db, Bun.file(path).stream(), { into }, (p) => progress.show(p));
    progress.end();
    const how = result.created ? "a new client" : "the empty client";
    ctx.out(`Imported ${path} into ${how} ${result.client}: ${describeCounts(result.counts)}.`);
    if (result.counts.users === 0) ctx.out(`Client ${result.client} has no users, so anyone may log in to it as administrator.`);
    return EXIT_OK;
  } catch (e) {
    progress.end();
    throw e;
  } finally {
    await db.close();
  }
}
