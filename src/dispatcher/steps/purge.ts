/** Linger and purge: complete entries after queue_life_span days, logs and backups after log_life_span. */
import { iso } from "../../core/clock";
import type { Run } from "../run-context";

const DAY_MS = 86_400_000;

export async function purgeExpired(run: Run): Promise<void> {
  const now = run.clock.now();
  const def = run.resolved.definition;
  const entries = await run.db.purgeCompleted(run.client, def.name, iso(now - def.queue_life_span * DAY_MS));
  const logs = run.purgeLogs === false ? 0 : await run.db.purgeLogs(run.client, iso(now - run.config.log_life_span * DAY_MS));
  if (entries + logs > 0) run.log.info("dispatcher", `Purged ${entries} completed passengers and ${logs} logs past their life span.`);
}
