/** Queue bulk actions: the confirmation states the count, the POST re-applies the filter and reports; roles. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { collectSelection, applyBulk } from "../../src/web/pages/queue/bulk";
import { bulkQuestion } from "../../src/web/pages/queue/bulk-confirm";
import type { Web } from "../../src/web/deps";
import { createTestConsole, seatEntries, seatPassenger, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });
const at = (i: number) => new Date(Date.parse("2025-01-15T09:00:00Z") + i * 1000).toISOString();

describe("queue bulk actions", () => {
  let t: TestConsole;
  let invoices: string[];
  let orders: string[];
  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator")] },
        acme: { users: [user("ann", "operator"), user("adam", "administrator")], definitions: ["acme/invoice", "acme/order"] },
        globex: { users: [user("gus", "administrator")] },
      },
    });
    const two = { processors: ["acme/check"], pushers: ["acme/push"], notified: true };
    invoices = [
      await seatPassenger(t.db, "acme", { external_id: "INV-1", type: "acme/invoice", ...two, failed: [{ step: 2, dead: true }] }, at(1)),
      await seatPassenger(t.db, "acme", { external_id: "INV-2", type: "acme/invoice", ...two, failed: [{ step: 1 }, { step: 2 }] }, at(2)),
      await seatPassenger(t.db, "acme", { external_id: "INV-3", type: "acme/invoice", ...two, failed: [{ step: 1 }] }, at(3)),
      await seatPassenger(t.db, "acme", { external_id: "INV-4", type: "acme/invoice", ...two }, at(4)),
      await seatPassenger(t.db, "acme", { external_id: "INV-5", type: "acme/invoice", ...two }, at(5)),
    ];
    orders = [
      await seatPassenger(t.db, "acme", { external_id: "ORD-1", type: "acme/order", ...two, failed: [{ step: 2, dead: true }] }, at(6)),
      await seatPassenger(t.db, "acme", { external_id: "ORD-2", type: "acme/order", ...two, failed: [{ step: 1 }] }, at(7)),
    ];
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string) => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    return b;
  };
  const failedSteps = async (ids: string[]) =>
    (await Promise.all(ids.map((id) => t.db.getEntry("acme", id)))).flatMap((e) => e!.steps.filter((s) => s.state === "failed"));

  describe("when the question is phrased", () => {
    it("states the counts with thousands separators", () => {
      expect(bulkQuestion({ action: "retry", entries: 812, steps: 1234 })).toBe("Retry 1,234 failed steps in 812 entries?");
      expect(bulkQuestion({ action: "skip", entries: 1, steps: 1 })).toBe("Skip 1 failed step in 1 entry?");
      expect(bulkQuestion({ action: "delete", entries: 2500, steps: 0 })).toBe("Delete 2,500 entries?");
    });
  });

  describe("when the queue page shows a selection", () => {
    it("links the bulk actions with the current filter; Delete only for administrators", async () => {
      const operator = await (await loggedIn("acme", "ann")).get("/queue?definition=acme/invoice&state=failed");
      expect(operator.text).toContain(`href="/queue/bulk?action=retry&amp;definition=acme%2Finvoice&amp;state=failed"`);
      expect(operator.text).not.toContain("action=delete");
      const admin = await (await loggedIn("acme", "adam")).get("/queue?definition=acme/invoice");
      expect(admin.text).toContain(`href="/queue/bulk?action=delete&amp;definition=acme%2Finvoice"`);
    });
  });

  describe("when an operator retries the failed steps of a definition", () => {
    it("asks with the right count, then changes exactly the filtered entries and reports it", async () => {
      const b = await loggedIn("acme", "ann");
      const confirm = await b.get("/queue/bulk?action=retry&definition=acme/invoice");
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain(`<p data-test="bulk-question">Retry 4 failed steps in 3 entries?</p>`);
      expect(confirm.text).toContain(`<input type="hidden" name="definition" value="acme/invoice"/>`);
      const done = await b.post("/queue/bulk", { action: "retry", definition: "acme/invoice" });
      expect(done.status).toBe(200);
      expect(done.text).toContain("Retried 4 failed steps in 3 entries.");
      expect(done.text).toContain("Nothing was skipped.");
      expect(await failedSteps(invoices)).toHaveLength(0);
      expect(await failedSteps(orders)).toHaveLength(2);
      const { logs } = await t.db.listLogs("acme", {}, { offset: 0, limit: 5 });
      expect(logs.map((l) => [l.title, l.definition])).toEqual([["console: bulk retry of 3 entries", "acme/invoice"]]);
      const log = await t.db.readLog("acme", logs[0]!.id);
      expect(log!.entries[0]!.message).toStartWith("ann: bulk retry of the entries with definition acme/invoice: 4 changed, 0 skipped");
    });

    it("skips only the dead entries' failed steps when the filter says state dead", async () => {
      const b = await loggedIn("acme", "ann");
      const confirm = await b.get("/queue/bulk?action=skip&state=dead");
      expect(confirm.text).toContain("Skip 2 failed steps in 2 entries?");
      const done = await b.post("/queue/bulk", { action: "skip", state: "dead" });
      expect(done.text).toContain("Skipped 2 failed steps in 2 entries.");
      const dead = [invoices[0]!, orders[0]!];
      for (const id of dead) expect((await t.db.getEntry("acme", id))!.steps[2]!.state).toBe("skipped");
      expect(await failedSteps([invoices[1]!, invoices[2]!, orders[1]!])).toHaveLength(4);
    });

    it("says there is nothing to do when the selection has no failed step", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/queue/bulk?action=retry&state=pending");
      expect(page.text).toContain("nothing to do");
      expect(page.text).not.toContain(`data-test="bulk-confirm-button"`);
    });
  });

  describe("when an entry moved between the selection and the action", () => {
    it("counts its step as skipped and changes the rest", async () => {
      const web = { db: t.db, clock: t.clock } as unknown as Web;
      const { targets } = await collectSelection(web, "acme", { definition: "acme/invoice" }, "retry");
      await t.db.updateStep("acme", invoices[2]!, 1, { action: "retry", at: at(9) });
      const outcome = await applyBulk(web, "acme", "retry", targets);
      expect(outcome).toEqual({ action: "retry", changed: 3, entries: 2, skipped: 1 });
    });
  });

  describe("when entries are deleted in bulk", () => {
    it("refuses operators with 403 on the confirmation and the POST", async () => {
      const b = await loggedIn("acme", "ann");
      expect((await b.get("/queue/bulk?action=delete&definition=acme/invoice")).status).toBe(403);
      await b.get("/queue");
      const res = await b.post("/queue/bulk", { action: "delete", definition: "acme/invoice" });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_FORBIDDEN");
      expect((await t.db.listEntries("acme", {}, { offset: 0, limit: 1 })).total).toBe(7);
    });

    it("lets an administrator delete exactly the filtered entries after confirming the count", async () => {
      const b = await loggedIn("acme", "adam");
      expect((await b.get("/queue/bulk?action=delete&definition=acme/invoice")).text).toContain("Delete 5 entries?");
      const done = await b.post("/queue/bulk", { action: "delete", definition: "acme/invoice" });
      expect(done.text).toContain("Deleted 5 entries.");
      const left = await t.db.listEntries("acme", {}, { offset: 0, limit: 10 });
      expect(left.entries.map((e) => e.passenger.external_id).sort()).toEqual(["ORD-1", "ORD-2"]);
    });
  });

  describe("the role matrix and hostile input", () => {
    it("sends anonymous visitors to /login", async () => {
      const res = await t.browser().get("/queue/bulk?action=retry");
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/login");
    });

    it("refuses a user of another client with 403", async () => {
      const res = await (await loggedIn("globex", "gus")).get("/queue/bulk?action=retry&client=acme");
      expect(res.status).toBe(403);
    });

    it("lets a root administrator act on another client", async () => {
      const b = await loggedIn("root", "boss");
      const confirm = await b.get("/queue/bulk?action=retry&client=acme&definition=acme/order");
      expect(confirm.text).toContain("Retry 2 failed steps in 2 entries?");
      expect(confirm.text).toContain(`action="/queue/bulk?client=acme"`);
      const done = await b.post("/queue/bulk?client=acme", { action: "retry", definition: "acme/order" });
      expect(done.text).toContain("Retried 2 failed steps in 2 entries.");
      expect(await failedSteps(orders)).toHaveLength(0);
    });

    it("refuses a POST without the CSRF token and an unknown action", async () => {
      const b = await loggedIn("acme", "ann");
      expect((await b.post("/queue/bulk", { action: "retry", _csrf: null })).status).toBe(403);
      expect((await b.get("/queue/bulk?action=explode")).status).toBe(400);
      expect(await failedSteps(invoices)).toHaveLength(4);
    });

    it("renders a hostile text filter escaped in the confirmation", async () => {
      const text = `"><script>alert(3)</script>`;
      const page = await (await loggedIn("acme", "ann")).get(`/queue/bulk?action=retry&state=failed&text=${encodeURIComponent(text)}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain("<script>alert(3)");
      expect(page.text).toContain("&lt;script&gt;alert(3)&lt;/script&gt;");
    });
  });
});

describe("queue bulk actions on a large selection", () => {
  describe("when the selection is larger than one page of 500", () => {
    it("changes every entry of it", async () => {
      // Its own console, closed inside the test: filling and closing a big queue outlasts a hook's timeout.
      const t = await createTestConsole({ clients: { acme: { users: [user("ann", "operator")], definitions: ["acme/order"] } } });
      try {
        await seatEntries(t.db, "acme", Array.from({ length: 505 }, (_, i) => ({ external_id: `BIG-${i}`, type: "acme/order" })));
        const many = (await t.db.listEntries("acme", {}, { offset: 0, limit: 600 })).entries.map((e) => e.passenger.id);
        await Promise.all(many.map((id) => t.db.updateStep("acme", id, 1, { action: "fail", at: at(9), nextAttemptAt: null })));
        const b = t.browser();
        await b.login("acme", "ann", "ann-pw");
        expect((await b.get("/queue/bulk?action=retry&text=big-")).text).toContain("Retry 505 failed steps in 505 entries?");
        const done = await b.post("/queue/bulk", { action: "retry", text: "big-" });
        expect(done.text).toContain("Retried 505 failed steps in 505 entries.");
        const left = await t.db.listEntries("acme", { state: "dead" }, { offset: 0, limit: 1 });
        expect(left.total).toBe(0);
        expect((await t.db.listEntries("acme", { state: "pending" }, { offset: 0, limit: 1 })).total).toBe(505);
      } finally {
        await t.close();
      }
    }, 60_000);
  });
});
