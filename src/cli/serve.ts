/**
 * `databus serve` (the default): prepares the home, opens the store, loads plugins, starts the
 * dispatcher and the web console, and shuts down gracefully on SIGTERM/SIGINT.
 */
import { join } from "node:path";
import { systemClock } from "../core/clock";
import { DatabusError } from "../core/errors";
import { Dispatcher } from "../dispatcher/dispatcher";
import { loadPlugins } from "../plugins/load";
import { watchPlugins } from "../plugins/watch";
import { createApp } from "../web/app";
import type { Database } from "../storage/database";
import type { CommandContext } from "./context";
import { createEngine } from "./engine";
import { ensureHomeFolders, ensureRootUser, seedClients } from "./home";
import { EXIT_OK, formatProblem } from "./report";
import { writeTypes } from "./types";
import { VERSION } from "./version";

export async function serveCommand(ctx: CommandContext): Promise<number> {
  const { settings } = ctx;
  const { created } = ensureHomeFolders(settings.home);
  for (const path of created) ctx.out(`Created ${path}`);
  if (created.includes(join(settings.home, "plugins"))) for (const path of await writeTypes(settings.home)) ctx.out(`Created ${path}`);
  const registry = await loadPlugins(settings.home);
  for (const b of registry.broken()) ctx.err(`${b.error.code} ${b.error.message}`);
  const db = createEngine(settings, registry);
  await db.open();
  const seeded = await seedClients(db);
  if (seeded.length > 0) ctx.out(`Created the clients ${seeded.join(" and ")} in ${join(settings.home, "data")}`);
  await createRootAdministrator(ctx, db);

  const dispatcher = new Dispatcher({
    db, registry, clock: systemClock, home: settings.home,
    tickMs: settings.tickMs, concurrency: settings.concurrency, graceMs: settings.graceMs,
    retry: { baseMs: settings.retryBaseMs, maxDelayMs: settings.retryMaxDelayMs, maxAttempts: settings.retryMaxAttempts },
    instance: settings.instance || undefined,
    report: (line) => ctx.err(line),
  });
  const watcher = await watchPlugins(settings.home, registry, {
    onReload: (changes) => {
      for (const { name, record } of changes)
        ctx.err(record?.status === "broken" ? `${record.error.code} ${record.error.message}` : `Plugin ${name} ${record ? "reloaded" : "removed"}.`);
    },
  });
  // The System page's Shutdown takes the same path as SIGTERM.
  const requestShutdown = () => void process.kill(process.pid, "SIGTERM");
  const app = createApp({ db, dispatcher, settings, version: VERSION, requestShutdown });
  try {
    app.listen({ port: settings.port, hostname: settings.host, reusePort: false });
  } catch (e) {
    await db.close();
    if ((e as { code?: string }).code === "EADDRINUSE") throw new DatabusError("DBUS_SET_PORT_IN_USE", { port: settings.port, host: settings.host });
    throw e;
  }
  const port = app.server?.port ?? settings.port;
  dispatcher.start();
  ctx.out(`Databus ${VERSION} is running at http://${settings.host}:${port}/ (home ${settings.home}, engine ${settings.engine}).`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) {
        // A second signal: leave at once. Every write is atomic, so nothing is half-written.
        ctx.err(`${signal} again: exiting now.`);
        process.exit(130);
      }
      stopping = true;
      ctx.out(`${signal}: finishing running steps (up to ${settings.graceMs / 1000}s), then stopping.`);
      watcher.close();
      await app.stop();
      await dispatcher.shutdown();
      await db.close();
      ctx.out("Stopped.");
      resolve(EXIT_OK);
    };
    process.on("SIGTERM", () => void stop("SIGTERM"));
    process.on("SIGINT", () => void stop("SIGINT"));
  });
}

/** Prints the generated root password once. A broken root config is reported, not fatal. */
async function createRootAdministrator(ctx: CommandContext, db: Database): Promise<void> {
  try {
    const password = await ensureRootUser(db);
    if (password)
      ctx.out(`Created the root administrator: client root, user admin, password ${password} (shown once; only its hash is stored).`);
  } catch (e) {
    if (!(e instanceof DatabusError)) throw e;
    ctx.err(formatProblem(e, "data/clients/root/config.json"));
  }
}
