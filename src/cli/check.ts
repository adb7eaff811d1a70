/**
 * `databus check`: validates settings, the storage engine (reachable, schema migrated), every client
 * config and every plugin; prints one line per problem ("where: CODE message — hint") and exits 1
 * when there is any, 0 on a clean setup.
 */
import { relative } from "node:path";
import { isResolved, loadClient } from "../dispatcher/definitions";
import { loadPlugins } from "../plugins/load";
import type { CommandContext } from "./context";
import { createEngine } from "./engine";
import { EXIT_OK, EXIT_PROBLEMS, formatProblem } from "./report";
import { checkStorage } from "./storage-check";

export async function checkCommand(ctx: CommandContext): Promise<number> {
  const problems: string[] = [];
  const registry = await loadPlugins(ctx.settings.home);
  for (const b of registry.broken()) problems.push(formatProblem(b.error, relative(ctx.settings.home, b.file)));
  const db = createEngine(ctx.settings, registry);
  let clients = 0;
  let definitions = 0;
  const storage = await checkStorage(db, ctx.settings);
  if (storage.problem) problems.push(formatProblem(storage.problem.error, storage.problem.where));
  try {
    if (storage.opened && !storage.problem) {
      for (const client of await db.listClients()) {
        clients++;
        const load = await loadClient(db, registry, client);
        if (!load.ok) {
          problems.push(formatProblem(load.error, `data/clients/${client}/config.json`));
          continue;
        }
        for (const d of load.definitions) {
          definitions++;
          if (!isResolved(d)) problems.push(formatProblem(d.error, `data/clients/${client}/config.json`));
        }
      }
    }
  } catch (e) {
    problems.push(formatProblem(e, `engine ${ctx.settings.engine}`));
  } finally {
    if (storage.opened) await db.close();
  }
  if (storage.line) ctx.out(storage.line);
  for (const p of problems) ctx.out(p);
  const plugins = registry.list().filter((r) => r.status === "loaded").length;
  if (problems.length > 0) {
    ctx.out(`${problems.length} problem${problems.length === 1 ? "" : "s"} found.`);
    return EXIT_PROBLEMS;
  }
  ctx.out(`OK: ${clients} clients, ${definitions} passenger definitions, ${plugins} plugins (engine ${ctx.settings.engine}, home ${ctx.settings.home}).`);
  return EXIT_OK;
}
