/** Contract area: step status, its transitions (core/step-status.ts), completion and the due list. */
import { expect } from "bun:test";
import type { ContractContext } from "../database.contract";
import { CLIENT, DEFINITION, T0, expectCode, request } from "../builders";

const T1 = "2024-05-01T11:00:00.000Z";
const T2 = "2024-05-01T12:00:00.000Z";
const LATER = "2024-05-01T13:00:00.000Z";

export function stepStatus(t: ContractContext): void {
  t.area("step status and transitions", () => {
    t.it("completes the entry when every step is done or skipped, and records when", async () => {
      const r = request({}, ["acme/proc"], ["acme/push"]);
      await t.db().seat(CLIENT, [r]);
      const id = r.passenger.id;
      await t.db().updateStep(CLIENT, id, 0, { action: "succeed", at: T0 });
      await t.db().updateStep(CLIENT, id, 1, { action: "skip", at: T1 });
      const done = await t.db().updateStep(CLIENT, id, 2, { action: "succeed", at: T2 });
      expect(done.steps.map((s) => s.state)).toEqual(["done", "skipped", "done"]);
      expect(done.steps[2]!.attempts).toBe(1);
      expect(done.completed_at).toBe(T2);
      expect((await t.db().getEntry(CLIENT, id))?.completed_at).toBe(T2);
      expect((await t.db().countEntries(CLIENT)).complete).toBe(1);
    });

    t.it("raises DBUS_Q_ACTION_NOT_ALLOWED for a transition the table forbids", async () => {
      const r = request();
      await t.db().seat(CLIENT, [r]);
      const id = r.passenger.id;
      await expectCode(t.db().updateStep(CLIENT, id, 0, { action: "retry", at: T0 }), "DBUS_Q_ACTION_NOT_ALLOWED");
      await t.db().updateStep(CLIENT, id, 0, { action: "succeed", at: T0 });
      await expectCode(t.db().updateStep(CLIENT, id, 0, { action: "succeed", at: T1 }), "DBUS_Q_ACTION_NOT_ALLOWED");
      await expectCode(t.db().updateStep(CLIENT, id, 0, { action: "fail", at: T1, error: "x" }), "DBUS_Q_ACTION_NOT_ALLOWED");
      expect((await t.db().getEntry(CLIENT, id))?.steps[0]!.state).toBe("done");
    });

    t.it("records failures: failed while a retry is planned, dead when none is", async () => {
      const r = request();
      await t.db().seat(CLIENT, [r]);
      const id = r.passenger.id;
      const failed = await t.db().updateStep(CLIENT, id, 0, { action: "fail", at: T0, error: "boom", nextAttemptAt: T1 });
      expect(failed.steps[0]).toMatchObject({ state: "failed", attempts: 1, last_error: "boom", next_attempt_at: T1 });
      expect((await t.db().countEntries(CLIENT)).failed).toBe(1);
      await t.db().updateStep(CLIENT, id, 0, { action: "fail", at: T1, error: "boom again", nextAttemptAt: null });
      expect(await t.db().countEntries(CLIENT)).toEqual({ pending: 0, failed: 0, dead: 1, complete: 0 });
      const retried = await t.db().updateStep(CLIENT, id, 0, { action: "retry", at: T2 });
      expect(retried.steps[0]).toMatchObject({ state: "pending", attempts: 0 });
    });

    t.it("clears completed_at when the entry leaves complete again", async () => {
      const r = request({}, [], ["acme/push"]);
      await t.db().seat(CLIENT, [r]);
      const id = r.passenger.id;
      await t.db().updateStep(CLIENT, id, 0, { action: "succeed", at: T0 });
      await t.db().updateStep(CLIENT, id, 1, { action: "skip", at: T1 });
      const again = await t.db().updateStep(CLIENT, id, 1, { action: "retry", at: T2 });
      expect(again.completed_at).toBeNull();
      expect((await t.db().countEntries(CLIENT)).pending).toBe(1);
    });

    t.it("loses neither of two concurrent changes to one entry", async () => {
      const r = request({}, [], ["acme/a", "acme/b", "acme/c"]);
      await t.db().seat(CLIENT, [r]);
      const id = r.passenger.id;
      await Promise.all([1, 2, 3].map((i) => t.db().updateStep(CLIENT, id, i, { action: "succeed", at: T1 })));
      const entry = await t.db().getEntry(CLIENT, id);
      expect(entry?.steps.map((s) => s.state)).toEqual(["pending", "done", "done", "done"]);
    });

    t.it("lets only one of two racing identical changes through", async () => {
      const r = request();
      await t.db().seat(CLIENT, [r]);
      const results = await Promise.allSettled([0, 1].map(() => t.db().updateStep(CLIENT, r.passenger.id, 0, { action: "succeed", at: T1 })));
      expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((x) => x.status === "rejected") as PromiseRejectedResult;
      expect(rejected.reason.code).toBe("DBUS_Q_ACTION_NOT_ALLOWED");
    });

    t.it("lists due entries oldest first: pending, failed with a retry time that has come, never dead", async () => {
      const [pending, retrySoon, retryLater, dead, done] = [1, 2, 3, 4, 5].map(() => request({}, [], []));
      const other = request({ type: "acme/other" }, [], []);
      await t.db().seat(CLIENT, [pending!, retrySoon!, retryLater!, dead!, done!, other]);
      await t.db().updateStep(CLIENT, retrySoon!.passenger.id, 0, { action: "fail", at: T0, error: "e", nextAttemptAt: T1 });
      await t.db().updateStep(CLIENT, retryLater!.passenger.id, 0, { action: "fail", at: T0, error: "e", nextAttemptAt: LATER });
      await t.db().updateStep(CLIENT, dead!.passenger.id, 0, { action: "fail", at: T0, error: "e", nextAttemptAt: null });
      await t.db().updateStep(CLIENT, done!.passenger.id, 0, { action: "succeed", at: T0 });
      const ids = (xs: typeof pending[]) => xs.map((x) => x!.passenger.id);
      expect(await t.db().listDue(CLIENT, DEFINITION, T2, 10)).toEqual(ids([pending, retrySoon]));
      expect(await t.db().listDue(CLIENT, DEFINITION, LATER, 10)).toEqual(ids([pending, retrySoon, retryLater]));
      expect(await t.db().listDue(CLIENT, DEFINITION, LATER, 2)).toEqual(ids([pending, retrySoon]));
      expect(await t.db().listDue(CLIENT, "acme/other", T2, 10)).toEqual(ids([other]));
    });
  });
}
