/**
 * The `entry_counts` table: entries per client, definition and state. Queue writes call `add` inside
 * their transaction with what they changed; reads sum it instead of counting a big queue.
 * Inputs: client, definition, state, delta. Outputs: counts by state. No errors of its own.
 */
import { and, eq, sum } from "drizzle-orm";
import { ENTRY_STATES, type EntryState } from "../../core/queue-entry";
import type { Connection } from "./connection";
import { entryCounts as c } from "./schema";

/** Changes to apply, keyed `definition \0 state`. */
export class CountDelta {
  private deltas = new Map<string, { definition: string; state: string; n: number }>();

  add(definition: string, state: string, n: number): void {
    const key = `${definition}\u0000${state}`;
    const d = this.deltas.get(key);
    if (d) d.n += n;
    else this.deltas.set(key, { definition, state, n });
  }

  /** Writes the changes; call inside the transaction that made them. */
  apply(conn: Connection, client: string): void {
    // Raw SQL (bun:sqlite caches the statement): every state change of a step runs it, and drizzle's
    // upsert builder cost more than the write. Same table and columns as schema.ts.
    const upsert = conn.client.query(
      "INSERT INTO entry_counts (client, definition, state, n) VALUES (?, ?, ?, ?) ON CONFLICT (client, definition, state) DO UPDATE SET n = n + excluded.n",
    );
    for (const d of this.deltas.values()) if (d.n !== 0) upsert.run(client, d.definition, d.state, d.n);
  }
}

/** Entries by state for a client, optionally one definition and/or one state. */
export function countByState(conn: Connection, client: string, definition?: string): Record<EntryState, number> {
  const out: Record<EntryState, number> = { pending: 0, failed: 0, dead: 0, complete: 0 };
  const where = definition === undefined ? eq(c.client, client) : and(eq(c.client, client), eq(c.definition, definition));
  const rows = conn.guard(() => conn.db.select({ state: c.state, n: sum(c.n) }).from(c).where(where).groupBy(c.state).all());
  for (const r of rows) if ((ENTRY_STATES as readonly string[]).includes(r.state)) out[r.state as EntryState] = Number(r.n ?? 0);
  return out;
}
