/**
 * Records a run's step changes in batches: the changes asked for in one turn of the event loop go to
 * the store in one `updateSteps` call (one commit, one fsync), while each caller still awaits its own
 * entry and sees its own failure. The steps stay written per passenger; only the store calls gather.
 *
 * Why: a run of 10,000 passengers makes 40,000 step changes. One store call each cost sqlite one
 * transaction and fsync each, and the json store a lock turn, a journal record and a promise chain
 * each; the pipeline spent most of its time there.
 */
import type { QueueEntry } from "../core/queue-entry";
import type { StepChange } from "../core/step-status";
import type { Database, StepUpdate } from "../storage/database";

interface Waiting {
  update: StepUpdate;
  resolve: (entry: QueueEntry) => void;
  reject: (e: unknown) => void;
}

/** Most changes in one store call: bounds one commit's size (and an sqlite transaction's length). */
export const MAX_BATCH = 1000;

export class StepRecorder {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly db: Database,
    private readonly client: string,
  ) {}

  /** Resolves with the entry as the change left it, once the change (and the passenger's, if given) is durable. */
  update(id: string, stepIndex: number, change: StepChange, passenger?: StepUpdate["passenger"]): Promise<QueueEntry> {
    return new Promise<QueueEntry>((resolve, reject) => {
      this.waiting.push({ update: passenger ? { id, stepIndex, change, passenger } : { id, stepIndex, change }, resolve, reject });
      if (this.waiting.length >= MAX_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    const settle = (results: Array<QueueEntry | Error>) =>
      batch.forEach((w, i) => {
        const result = results[i];
        if (result === undefined) w.reject(new Error(`the store answered ${results.length} of ${batch.length} step changes`));
        else if (result instanceof Error) w.reject(result);
        else w.resolve(result);
      });
    this.db.updateSteps(this.client, batch.map((w) => w.update)).then(settle, (e: unknown) => batch.forEach((w) => w.reject(e)));
  }
}
