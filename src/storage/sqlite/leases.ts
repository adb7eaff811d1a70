/**
 * Run leases on sqlite: one row per client passenger (`<client>/<definition>`). Several instances on
 * one machine may open the same file, so a claim is one atomic upsert that only takes an expired row.
 *
 *   claim   in: resource, instance, token, now, expires   out: the token, or null (held elsewhere)
 *   renew   in: resource, token, expires                  out: true, or false (taken over)
 *   release in: resource, token                           out: —   (a stale token deletes nothing)
 */
import type { Connection } from "./connection";

export class Leases {
  constructor(private conn: Connection) {}

  claim(resource: string, instance: string, nowIso: string, expiresIso: string): string | null {
    const token = crypto.randomUUID();
    const changed = this.conn.write(
      () =>
        this.conn.client
          .query(
            `INSERT INTO leases (resource, instance_id, token, expires_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (resource) DO UPDATE SET instance_id = excluded.instance_id, token = excluded.token, expires_at = excluded.expires_at
             WHERE leases.expires_at <= ?5`,
          )
          .run(resource, instance, token, expiresIso, nowIso).changes,
    );
    return changed > 0 ? token : null;
  }

  renew(resource: string, token: string, expiresIso: string): boolean {
    return this.conn.write(() => this.conn.client.query("UPDATE leases SET expires_at = ?1 WHERE resource = ?2 AND token = ?3").run(expiresIso, resource, token).changes) > 0;
  }

  release(resource: string, token: string): void {
    this.conn.write(() => this.conn.client.query("DELETE FROM leases WHERE resource = ?1 AND token = ?2").run(resource, token));
  }
}
