/** ReportQuery: the delivery report of one client, for plugins that build their own reports. */
import {
  collectDeliveries,
  summarise,
  type DeliveryRow,
  type DeliveryState,
  type PusherSummary,
  type ReportFilter,
  type ReportPeriod,
} from "../core/report";
import type { Database } from "./database";

export type { DeliveryRow, DeliveryState, PusherSummary, ReportFilter, ReportPeriod };

/**
 * What each pusher delivered, what failed and what is dead, in a period. It reads only the queue
 * through the Database contract (`listEntries`), so it works on every engine; entries purged after
 * their `queue_life_span` are no longer in it. The console's Reports page shows the same rows.
 *
 * @example
 * ```ts
 * const report = new ReportQuery(db, "acme");
 * const rows = await report.deliveries({ from: "2026-06-01T00:00:00Z", to: "2026-07-01T00:00:00Z", pusher: "acme/erp_pusher" });
 * for (const r of rows) console.log(r.at, r.state, r.idempotency_key);
 * ```
 */
export class ReportQuery {
  constructor(
    private readonly db: Pick<Database, "listEntries">,
    readonly client: string,
  ) {}

  /** Rows sorted by time (`at`), then pusher, then passenger id. */
  deliveries(filter: ReportFilter): Promise<DeliveryRow[]> {
    const entryFilter = filter.definition ? { definition: filter.definition } : {};
    return collectDeliveries((offset, limit) => this.db.listEntries(this.client, entryFilter, { offset, limit }, "seated_at"), filter);
  }

  /** Counts per pusher, sorted by pusher name. */
  async summary(filter: ReportFilter): Promise<PusherSummary[]> {
    return summarise(await this.deliveries(filter));
  }
}
