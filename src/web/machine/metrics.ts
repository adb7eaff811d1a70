/**
 * /metrics: Prometheus text (0.0.4). Counters since start come from the dispatcher's run events;
 * queue gauges from the store's counts (its index, never a folder scan), cached for a moment.
 * Client names are in the labels, so a `metrics_token` setting makes it ask for a bearer token.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { Elysia } from "elysia";
import { reasonOf } from "../../core/errors";
import { ENTRY_STATES } from "../../core/queue-entry";
import { Counter, EXPOSITION_CONTENT_TYPE, Gauge, Histogram, renderExposition } from "../../core/prometheus";
import type { DispatcherState } from "../../dispatcher/api";
import type { Web } from "../deps";

/** Seconds; from a quick demo run to an hour-long import. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const STATES: readonly DispatcherState[] = ["idle", "running", "pausing", "paused", "stopping", "stopped"];
/** Counting every client's queue costs one index lookup per client; scrapes closer together share it. */
const QUEUE_CACHE_MS = 2000;

export function metrics(web: Web, token: string | null) {
  const c = {
    pulled: new Counter("databus_passengers_pulled_total", "Passengers the pullers returned."),
    pushed: new Counter("databus_passengers_pushed_total", "Pusher steps that succeeded."),
    failed: new Counter("databus_passengers_failed_total", "Steps (notify, processor, pusher) that failed."),
    dead: new Counter("databus_passengers_dead_total", "Entries that went dead (a step out of attempts)."),
    runs: new Counter("databus_runs_total", "Finished runs by outcome (ok, warning, error, aborted)."),
    duration: new Histogram("databus_run_duration_seconds", "How long runs took.", DURATION_BUCKETS),
  };
  web.dispatcher.onRunFinished((r) => {
    const labels = { client: r.client, definition: r.definition };
    c.pulled.inc(labels, r.counts.pulled);
    c.pushed.inc(labels, r.counts.delivered);
    c.failed.inc(labels, r.counts.failed);
    c.runs.inc({ ...labels, outcome: r.outcome });
    c.duration.observe(labels, r.duration_ms / 1000);
  });
  web.dispatcher.onEntryDead((e) => c.dead.inc({ client: e.client, definition: e.definition }));

  let queueCache: { at: number; gauge: Gauge } | null = null;
  const queueGauge = async (): Promise<Gauge> => {
    const now = web.clock.now();
    if (queueCache && now - queueCache.at < QUEUE_CACHE_MS) return queueCache.gauge;
    const gauge = queueEntriesGauge();
    for (const client of await web.db.listClients()) {
      const counts = await web.db.countEntries(client);
      for (const state of ENTRY_STATES) gauge.set({ client, state }, counts[state]);
    }
    queueCache = { at: now, gauge };
    return gauge;
  };

  return new Elysia().get("/metrics", async ({ request, set }) => {
    if (token !== null && !bearerMatches(request.headers.get("authorization"), token)) {
      set.status = 401;
      set.headers["www-authenticate"] = 'Bearer realm="databus metrics"';
      set.headers["content-type"] = "text/plain; charset=utf-8";
      return "DBUS_AUTH_REQUIRED /metrics needs the bearer token set by metrics_token.\n";
    }
    const up = new Gauge("databus_up", "1 while this Databus serves requests; 0 when its store does not answer.");
    const dispatcher = new Gauge("databus_dispatcher_state", "1 for the dispatcher's current state, 0 for the others.");
    for (const s of STATES) dispatcher.set({ state: s }, web.dispatcher.state === s ? 1 : 0);
    let queue: Gauge;
    try {
      queue = await queueGauge();
      up.set({}, 1);
    } catch (e) {
      // The page still answers, so a scrape tells "store down" apart from "process gone"; the reason stays in the log.
      console.error(`web: /metrics could not count the queues: ${reasonOf(e)}`);
      queue = queueEntriesGauge();
      up.set({}, 0);
    }
    set.headers["content-type"] = EXPOSITION_CONTENT_TYPE;
    return renderExposition([up, dispatcher, c.runs, c.duration, c.pulled, c.pushed, c.failed, c.dead, queue]);
  });
}

const queueEntriesGauge = () => new Gauge("databus_queue_entries", "Queue entries by client and state.");

/** Compares digests, so neither the token's content nor its length leaks through timing. */
function bearerMatches(header: string | null, token: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "";
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}
