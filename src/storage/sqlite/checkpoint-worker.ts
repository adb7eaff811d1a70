/**
 * The worker thread that checkpoints a SQLite file's WAL into the database file (checkpointer.ts),
 * so the page copies and the database file's fsync of a checkpoint run beside the dispatcher
 * instead of inside one of its commits. Its own connection to the file; PASSIVE checkpoints only,
 * which never wait for (or block) the writer or a reader.
 *
 * It is told of commits through shared memory, not messages: the writing thread is busy in bursts
 * and would answer a message late, which is when checkpoints matter. After one "start" message it
 * loops until told to stop, idle for IDLE_MS, or a checkpoint fails; then it closes its connection,
 * sets DONE (the closing thread waits on it: its own close must be the file's last) and says why.
 */
import { Database } from "bun:sqlite";
import { COMMITS, DONE, EXITED, STOP } from "./checkpointer";

declare const self: Worker;

export interface CheckpointStart {
  file: string;
  shared: Int32Array;
  idleMs: number;
  /** The least time between two checkpoints: a burst's commits go into one. */
  paceMs: number;
}
export type CheckpointExit = { kind: "stopped" | "idle" } | { kind: "failed"; message: string };

self.onmessage = (event: MessageEvent<CheckpointStart>) => {
  const exit = loop(event.data);
  Atomics.store(event.data.shared, DONE, 1);
  Atomics.notify(event.data.shared, DONE);
  self.postMessage(exit);
};

function loop({ file, shared, idleMs, paceMs }: CheckpointStart): CheckpointExit {
  let db: Database | undefined;
  let seen = 0;
  try {
    while (Atomics.load(shared, STOP) === 0) {
      const commits = Atomics.load(shared, COMMITS);
      if (commits === seen) {
        const waited = Atomics.wait(shared, COMMITS, seen, idleMs);
        // Leaving is one atomic step: a commit counted meanwhile makes it fail, and the loop goes on.
        if (waited === "timed-out" && Atomics.compareExchange(shared, COMMITS, seen, EXITED) === seen) return { kind: "idle" };
        continue;
      }
      seen = commits;
      // The file exists (its writer made it): never create one of our own under a wrong name.
      db ??= new Database(file, { readwrite: true, create: false });
      db.run("PRAGMA wal_checkpoint(PASSIVE)");
      Atomics.wait(shared, STOP, 0, paceMs);
    }
    return { kind: "stopped" };
  } catch (e) {
    return { kind: "failed", message: e instanceof Error ? e.message : String(e) };
  } finally {
    db?.close(false);
  }
}
