/**
 * `databus serve` (the default): prepares the home, loads plugins, starts the web console, opens the
 * store (retrying while it is down; the console says so meanwhile), then starts the dispatcher, and
 * shuts down gracefully on SIGTERM/SIGINT.
 */
import { join } from "node:path";
import { systemClock } from "../core/clock";
import { DatabusError } from "../core/errors";
import { Dispatcher } from "../dispatcher/dispatcher";
import { loadPlugins } from "../plugins/load";
import { reportPlugins } from "../plugins/registry";
import { watchPlugins } from "../plugins/watch";
import { createApp } from "../web/app";
import type { Database } from "../storage/database";
import type { CommandContext } from "./context";
import { openCopyTarget } from "./copy-target";
import { createEngine } from "./engine";
import { startOperations, type Operations } from "./operations";
import { ensureHomeFolders, ensureRootUser, seedClients } from "./home";
import { formatProblem } from "./report";
import { closeAtStop } from "./store-closing";
import { StoreOpening } from "./store-opening";
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
  const store = new StoreOpening(db, systemClock);

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
  // The web sees the store through `store.db`: until it is open, pages that need it answer 503 with its status.
  const app = createApp({ db: store.db, dispatcher, settings, version: VERSION, requestShutdown, openCopyTarget, reports: reportPlugins(registry) });
  try {
    app.listen({ port: settings.port, hostname: settings.host, reusePort: false });
  } catch (e) {
    watcher.close();
    await store.close();
    if ((e as { code?: string }).code === "EADDRINUSE") throw new DatabusError("DBUS_SET_PORT_IN_USE", { port: settings.port, host: settings.host });
    throw e;
  }
  const port = app.server?.port ?? settings.port;

  let operations: Operations | undefined;
  return new Promise<number>((resolve, reject) => {
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
      await operations?.stop();
      // The json store writes the files of the changes still waiting for them before it closes:
      // seconds after a burst. Nothing is lost by not waiting: every change is durable already (the
      // json store's journal holds them and the next start writes their files).
      const code = await closeAtStop(store.close(), { engine: settings.engine, signal, out: ctx.out, err: ctx.err });
      ctx.out("Stopped.");
      resolve(code);
    };
    process.on("SIGTERM", () => void stop("SIGTERM"));
    process.on("SIGINT", () => void stop("SIGINT"));

    // Quiet when the store opens at once; a line when it keeps the start waiting (SQL Server down, or
    // a json store reading every entry folder), and for a local store its progress every 10 s.
    const opened = store.announce(settings.engine, `http://${settings.host}:${port}/`, ctx.err);
    store
      .open()
      .then(async () => {
        opened();
        if (stopping) return;
        const seeded = await seedClients(db);
        if (seeded.length > 0) ctx.out(`Created the clients ${seeded.join(" and ")} in ${join(settings.home, "data")}`);
        await createRootAdministrator(ctx, db);
        operations = startOperations(ctx, db, dispatcher, systemClock);
        dispatcher.start();
        ctx.out(`Databus ${VERSION} is running at http://${settings.host}:${port}/ (home ${settings.home}, engine ${settings.engine}).`);
      })
      .catch(async (e) => {
        opened();
        if (stopping) return;
        // The store cannot open at all (a locked home, a schema too new): the start fails as before.
        stopping = true;
        watcher.close();
        await app.stop();
        await store.close().catch(() => undefined);
        reject(e);
      });
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
