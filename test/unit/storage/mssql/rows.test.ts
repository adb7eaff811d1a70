/** How a queue entry is spread over rows and read back: a round trip, derived state and due time. */
import { describe, expect, it } from "bun:test";
import { initialSteps, type QueueEntry } from "../../../../src/core/queue-entry";
import type { StepStatus } from "../../../../src/core/step-status";
import { dueOf, toAttachment, toEntries, toEntryRow, toStepRows } from "../../../../src/storage/mssql/rows";

const T0 = "2024-05-01T10:00:00.000Z";
const steps = initialSteps("puller", ["proc"], ["push"], T0);
const entry: QueueEntry = {
  passenger: { id: "e1", type: "def", external_id: "x1", source_system: "mail", pulled_at: T0, puller: "puller", payload: { n: [1, "two"] }, log_ids: ["L1"] },
  attachments: [{ name: "a.txt", media_type: "text/plain", size: 3, text: true }],
  steps,
  seated_at: T0,
  completed_at: null,
};

describe("mssql rows", () => {
  describe("when an entry is written and read back", () => {
    it("gives the same entry", () => {
      const row = { ...toEntryRow("acme", entry, "node-a") };
      const stepRows = toStepRows("acme", "e1", steps);
      const infos = [{ entryId: "e1", name: "a.txt", mediaType: "text/plain", size: 3, isText: true }];
      expect(toEntries([row as never], stepRows.reverse() as never, infos)).toEqual([entry]);
    });

    it("stores the derived state and due time", () => {
      expect(toEntryRow("acme", entry, null)).toMatchObject({ state: "pending", dueAt: "", payload: '{"n":[1,"two"]}', logIds: '["L1"]' });
    });
  });

  describe("when the due time is derived", () => {
    const failed = (next: string | null): StepStatus => ({ ...steps[0]!, state: "failed", next_attempt_at: next, attempts: 1, last_error: "x" });
    const done = (s: StepStatus): StepStatus => ({ ...s, state: "done" });

    it("is empty (due at once) while a step is pending", () => {
      expect(dueOf(steps)).toBe("");
    });

    it("is the earliest retry of a failed step", () => {
      expect(dueOf([failed("2024-05-02T00:00:00.000Z"), done(steps[1]!), done(steps[2]!)])).toBe("2024-05-02T00:00:00.000Z");
    });

    it("is null for dead and complete entries", () => {
      expect(dueOf([failed(null), done(steps[1]!), done(steps[2]!)])).toBeNull();
      expect(dueOf(steps.map(done))).toBeNull();
    });
  });

  describe("when an attachment is read", () => {
    it("gives text back as text and bytes as bytes", () => {
      const base = { client: "acme", entryId: "e1", position: 0, mediaType: "x", size: 3 };
      expect(toAttachment({ ...base, name: "a.txt", isText: true, content: Buffer.from("héllo") } as never).content).toBe("héllo");
      expect(toAttachment({ ...base, name: "b.bin", isText: false, content: Buffer.from([1, 2, 3]) } as never).content).toEqual(new Uint8Array([1, 2, 3]));
    });
  });
});
