/**
 * What `serve` runs beside the dispatcher for operations: a server log line per finished run, and the
 * client observers (webhook, mail) with their timer. Started after the dispatcher, stopped before it.
 */
import type { Clock } from "../core/clock";
import type { DispatcherApi, RunFinished } from "../dispatcher/api";
import { ObserverService } from "../observers/service";
import type { Settings } from "../settings/schema";
import type { Database } from "../storage/database";
import type { CommandContext } from "./context";
import type { ServerLog } from "./server-log";

export interface Operations {
  stop(): Promise<void>;
}

export function startOperations(ctx: CommandContext, db: Database, dispatcher: DispatcherApi, clock: Clock): Operations {
  const { settings } = ctx;
  const log = ctx.log;
  const unsubscribe = log ? dispatcher.onRunFinished((r) => logRun(log, r)) : () => {};
  const observers = new ObserverService({
    db,
    dispatcher,
    clock,
    alias: settings.alias || undefined,
    report: (line, fields) => (log ? log.write("error", line, fields) : ctx.err(line)),
  });
  observers.start(observerInterval(settings));
  return {
    async stop() {
      unsubscribe();
      await observers.stop();
    },
  };
}

/** Silence is measured in sync frequencies (a minute or more), so checking every tick is plenty. */
const observerInterval = (s: Pick<Settings, "tickMs">): number => s.tickMs;

/**
 * json: every run, for collectors to count and chart. text: only runs that did not go well, so a
 * terminal stays readable (the console's Logs page has every run).
 */
function logRun(log: ServerLog, r: RunFinished): void {
  const bad = r.outcome === "error" || r.outcome === "aborted";
  if (log.format === "text" && !bad) return;
  const c = r.counts;
  const msg = `Run of ${r.definition} for client ${r.client} ${bad ? "ended with errors" : "finished"}: ${c.pulled} pulled, ${c.seated} seated, ${c.delivered} delivered, ${c.failed} failed steps (log ${r.log_id}).`;
  log.write(bad ? "error" : r.outcome === "warning" ? "warning" : "info", msg, {
    client: r.client, definition: r.definition, run: r.log_id, outcome: r.outcome, duration_ms: r.duration_ms, ...c,
  });
}
