/**
 * Run leases for several instances on one database: a lease on `<client>/<definition>` with a fresh
 * token, claimed, renewed and released through queries/leases.ts; a stale token changes nothing.
 *
 *   claim   in: client, definition, instance, now, ttl   out: the token, or null (held elsewhere)
 *   renew   in: client, definition, token, now, ttl      out: true, or false (taken over)
 *   release in: client, definition, token                out: —   (a stale token deletes nothing)
 */
import * as q from "./queries/leases";
import type { Session } from "./session";

const resourceOf = (client: string, definition: string): string => `${client}/${definition}`;
const plus = (nowIso: string, ms: number): string => new Date(Date.parse(nowIso) + ms).toISOString();

export class Leases {
  constructor(private session: Session) {}

  async claim(client: string, definition: string, instance: string, nowIso: string, ttlMs: number): Promise<string | null> {
    const claim = { resource: resourceOf(client, definition), instanceId: instance, token: crypto.randomUUID(), nowIso, expiresAt: plus(nowIso, ttlMs) };
    const res = (await this.session.run((db) => db.execute(q.claimLease(db, claim)))) as unknown as { recordset?: unknown[] };
    return (res.recordset ?? []).length > 0 ? claim.token : null;
  }

  async renew(client: string, definition: string, token: string, nowIso: string, ttlMs: number): Promise<boolean> {
    const rows = await this.session.run((db) => q.renewLease(db, resourceOf(client, definition), token, plus(nowIso, ttlMs)));
    return rows.length > 0;
  }

  async release(client: string, definition: string, token: string): Promise<void> {
    await this.session.run((db) => q.releaseLease(db, resourceOf(client, definition), token));
  }

  /** Live leases, for the console (which instance runs what). */
  list(nowIso: string) {
    return this.session.run((db) => q.selectLiveLeases(db, nowIso));
  }
}
