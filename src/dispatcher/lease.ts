/**
 * The lease of one run: claimed before the run starts, renewed while it lasts, given up after. With
 * several instances on one database, it keeps a client passenger on one instance at a time; an
 * instance that dies loses its leases when they expire. Single-instance engines grant every claim.
 */
import { iso, type Clock } from "../core/clock";
import type { Database } from "../storage/database";

export const LEASE_TTL_MS = 60_000;

export class RunLease {
  private timer: ReturnType<typeof setInterval> | undefined;
  /** True once a renewal failed: another instance may have taken over, so this run must stop. */
  lost = false;

  private constructor(
    private db: Database,
    private client: string,
    private definition: string,
    private token: string,
    private clock: Clock,
    private ttlMs: number,
  ) {}

  /** The lease, renewing itself every third of its time-to-live; null when another instance holds it. */
  static async claim(db: Database, client: string, definition: string, instance: string, clock: Clock, ttlMs = LEASE_TTL_MS): Promise<RunLease | null> {
    const token = await db.claimRun(client, definition, instance, iso(clock.now()), ttlMs);
    if (token === null) return null;
    const lease = new RunLease(db, client, definition, token, clock, ttlMs);
    lease.timer = setInterval(() => void lease.renew(), Math.max(1000, Math.floor(ttlMs / 3)));
    return lease;
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    try {
      this.lost = !(await this.db.renewRun(this.client, this.definition, this.token, iso(this.clock.now()), this.ttlMs));
    } catch {
      // A store that cannot be reached cannot confirm the lease: stop, as if it were lost.
      this.lost = true;
    }
    if (this.lost) clearInterval(this.timer);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    if (!this.lost) await this.db.releaseRun(this.client, this.definition, this.token);
  }
}
