import { describe, expect, it } from "bun:test";
import type { QueueEntry } from "../../../src/core/queue-entry";
import { collectDeliveries, deliveryRowsOf, summarise } from "../../../src/core/report";
import type { StepStatus } from "../../../src/core/step-status";

const PERIOD = { from: "2026-06-01T00:00:00.000Z", to: "2026-06-02T00:00:00.000Z" };

const step = (kind: StepStatus["kind"], name: string, state: StepStatus["state"], updated_at: string, more: Partial<StepStatus> = {}): StepStatus => ({
  kind, name, state, attempts: 1, last_error: null, next_attempt_at: null, updated_at, ...more,
});

function entry(n: number, seated_at: string, steps: StepStatus[], type = "acme/invoice"): QueueEntry {
  const id = `0197-${n}`;
  return {
    passenger: { id, type, external_id: `E${n}`, source_system: "s", pulled_at: seated_at, puller: "p", payload: {}, log_ids: [] },
    attachments: [],
    steps: [step("notify", "p", "done", seated_at), ...steps],
    seated_at,
    completed_at: null,
  };
}

describe("delivery report", () => {
  describe("when an entry has pushers in every state", () => {
    const e = entry(1, "2026-06-01T08:00:00.000Z", [
      step("processor", "x", "done", "2026-06-01T08:00:01.000Z"),
      step("pusher", "a", "done", "2026-06-01T08:00:02.000Z"),
      step("pusher", "b", "failed", "2026-06-01T08:00:03.000Z", { last_error: "busy", next_attempt_at: "2026-06-01T09:00:00.000Z" }),
      step("pusher", "c", "failed", "2026-06-01T08:00:04.000Z", { last_error: "refused" }),
      step("pusher", "d", "pending", "2026-06-01T08:00:00.000Z"),
      step("pusher", "e", "skipped", "2026-06-01T08:00:00.000Z"),
    ]);

    it("reports delivered, failed and dead pusher steps, not processors, pending or skipped ones", () => {
      expect(deliveryRowsOf(e, PERIOD).map((r) => [r.pusher, r.state, r.idempotency_key, r.error, r.next_attempt_at])).toEqual([
        ["a", "delivered", "0197-1:a", null, null],
        ["b", "failed", "0197-1:b", "busy", "2026-06-01T09:00:00.000Z"],
        ["c", "dead", "0197-1:c", "refused", null],
      ]);
    });

    it("filters by pusher and definition", () => {
      expect(deliveryRowsOf(e, { ...PERIOD, pusher: "b" }).map((r) => r.pusher)).toEqual(["b"]);
      expect(deliveryRowsOf(e, { ...PERIOD, definition: "acme/other" })).toEqual([]);
    });

    it("leaves out steps outside [from, to)", () => {
      expect(deliveryRowsOf(e, { from: "2026-06-01T08:00:03.000Z", to: "2026-06-01T08:00:04.000Z" }).map((r) => r.pusher)).toEqual(["b"]);
    });

    it("counts per pusher", () => {
      expect(summarise(deliveryRowsOf(e, PERIOD))).toEqual([
        { pusher: "a", delivered: 1, failed: 0, dead: 0 },
        { pusher: "b", delivered: 0, failed: 1, dead: 0 },
        { pusher: "c", delivered: 0, failed: 0, dead: 1 },
      ]);
    });
  });

  describe("when collecting over pages", () => {
    it("reads pages oldest first, stops at the first entry seated after the period, and sorts by time", async () => {
      const entries = Array.from({ length: 1200 }, (_, i) =>
        entry(i, new Date(Date.parse("2026-06-01T00:00:00Z") + i * 60_000).toISOString(), [
          step("pusher", "a", "done", new Date(Date.parse("2026-06-01T00:00:00Z") + i * 60_000 + (i % 2 ? 1000 : 30_000)).toISOString()),
        ]),
      );
      const asked: number[] = [];
      const rows = await collectDeliveries(async (offset, limit) => {
        asked.push(offset);
        return { total: entries.length, entries: entries.slice(offset, offset + limit) };
      }, PERIOD);
      expect(rows).toHaveLength(1200);
      expect(rows.every((r, i) => i === 0 || rows[i - 1]!.at <= r.at)).toBe(true);
      expect(asked).toEqual([0, 500, 1000]);

      asked.length = 0;
      const firstHour = await collectDeliveries(async (offset, limit) => {
        asked.push(offset);
        return { total: entries.length, entries: entries.slice(offset, offset + limit) };
      }, { from: PERIOD.from, to: "2026-06-01T01:00:00.000Z" });
      expect(firstHour).toHaveLength(60);
      expect(asked).toEqual([0]);
    });
  });
});
