/**
 * Export, import and copy jobs of this console: at most one per client at a time (DBUS_EXP_BUSY), their
 * progress for the status fragment, and their outcome. In memory: a restart forgets finished jobs.
 */
import { iso, type Clock } from "../../../core/clock";
import { DatabusError, isDatabusError } from "../../../core/errors";
import { uuidv7 } from "../../../core/ids";
import type { ArchiveCounts, TransferProgress } from "../../../storage/transfer/index";

export type JobState = "running" | "done" | "failed";

export interface TransferJob {
  id: string;
  kind: "export" | "import" | "copy";
  /** The client exported, imported into, or copied. */
  client: string;
  /** Who started it, as `user@client`. */
  user: string;
  startedAt: string;
  state: JobState;
  progress: TransferProgress;
  /** Import source, for the result line: the archive's own client id. */
  from?: string;
  /** Copy target, as `sqlite <file>` or `mssql <host:port/database>`: never the connection string. */
  to?: string;
  counts?: ArchiveCounts;
  error?: DatabusError;
}

/** Finished jobs kept for their status page; older ones are forgotten. */
const KEEP_FINISHED = 50;

export class TransferJobs {
  private running = new Map<string, TransferJob>();
  private jobs = new Map<string, TransferJob>();

  constructor(private clock: Clock) {}

  /** Takes the client for a job or raises DBUS_EXP_BUSY naming the job that has it. */
  claim(kind: TransferJob["kind"], client: string, user: string): TransferJob {
    const busy = this.running.get(client);
    if (busy) throw new DatabusError("DBUS_EXP_BUSY", { client, at: busy.startedAt, user: busy.user });
    const job: TransferJob = {
      id: uuidv7(this.clock.now()),
      kind,
      client,
      user,
      startedAt: iso(this.clock.now()),
      state: "running",
      progress: { phase: "config", entries: { done: 0, total: 0 }, logs: { done: 0, total: 0 } },
    };
    this.running.set(client, job);
    this.jobs.set(job.id, job);
    this.prune();
    return job;
  }

  /** Runs `work` in the background; the job records its counts or its error and frees the client. */
  run(job: TransferJob, work: (onProgress: (p: TransferProgress) => void) => Promise<ArchiveCounts>): Promise<void> {
    const done = work((p) => (job.progress = structuredClone(p))).then(
      (counts) => {
        job.counts = counts;
        job.state = "done";
      },
      (e: unknown) => {
        job.error = this.asDatabusError(e);
        job.state = "failed";
      },
    );
    return done.finally(() => this.running.delete(job.client));
  }

  get(id: string): TransferJob | undefined {
    return this.jobs.get(id);
  }

  /** The newest job about this client, running or finished. */
  latestFor(client: string): TransferJob | undefined {
    return [...this.jobs.values()].reverse().find((j) => j.client === client);
  }

  private asDatabusError(e: unknown): DatabusError {
    if (isDatabusError(e)) return e;
    const incident = uuidv7(this.clock.now());
    console.error(`web: DBUS_INTERNAL incident ${incident} in an export or import job`, e);
    return new DatabusError("DBUS_INTERNAL", { incident }, { cause: e });
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== "running");
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(j.id);
  }
}
