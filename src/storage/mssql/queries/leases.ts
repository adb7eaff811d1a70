/**
 * SQL for run leases (several instances on one database, DESIGN §6): claim, renew, release, list.
 * Inputs: resource (`<client>/<definition>`), instance id, a fresh random token, now and expiry (ISO).
 * Outputs: the lease row via `output inserted`. Result codes: an empty output means "held by another
 * instance" (claim) or "lost: expired and taken over" (renew/release); the caller must stop writing.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import type { Sql } from "../connection";
import { leases } from "../schema";

export interface LeaseClaim {
  resource: string;
  instanceId: string;
  token: string;
  nowIso: string;
  expiresAt: string;
}

/**
 * Takes the lease when it is free or expired (a live lease is never taken, not even by its own instance:
 * the run is already going there). `updlock, holdlock` (serializable on the key) makes two instances
 * claiming at once queue on the row, so exactly one sees its row in `output`.
 */
export const claimLease = (_db: Sql, c: LeaseClaim) => sql`
merge ${leases} with (updlock, holdlock) as target
using (select ${c.resource} as resource) as source
on target.[resource] = source.resource
when matched and target.[expires_at] <= ${c.nowIso} then
  update set [instance_id] = ${c.instanceId}, [token] = ${c.token}, [expires_at] = ${c.expiresAt}
when not matched then
  insert ([resource], [instance_id], [token], [expires_at]) values (${c.resource}, ${c.instanceId}, ${c.token}, ${c.expiresAt})
output inserted.[resource], inserted.[instance_id], inserted.[token], inserted.[expires_at];`;

/** Extends a lease we still hold (the token matches: nobody took it over). → `{ expiresAt }[]`, empty when lost. */
export const renewLease = (db: Sql, resource: string, token: string, expiresAt: string) =>
  db
    .update(leases)
    .set({ expiresAt })
    .output({ inserted: { expiresAt: leases.expiresAt } })
    .where(and(eq(leases.resource, resource), eq(leases.token, token)));

/** Gives a lease back; only the holder's token can. → `{ resource }[]`, empty when it was not ours. */
export const releaseLease = (db: Sql, resource: string, token: string) =>
  db
    .delete(leases)
    .output({ resource: leases.resource })
    .where(and(eq(leases.resource, resource), eq(leases.token, token)));

/** → live leases (for the console: which instance runs what). */
export const selectLiveLeases = (db: Sql, nowIso: string) =>
  db.select().from(leases).where(gt(leases.expiresAt, nowIso)).orderBy(leases.resource);
