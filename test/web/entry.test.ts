/** Entry page: payload, attachments, steps, linked logs; step actions (htmx and plain), delete, roles, hostile data. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { HTMX_PARTIAL, createTestConsole, seatPassenger, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });
const HOSTILE = "<script>alert(1)</script>";
const ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";
const ATTACHMENT = "<script>alert(1).html";

describe("entry page", () => {
  let t: TestConsole;
  let id: string;
  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator")] },
        acme: { users: [user("ann", "operator"), user("adam", "administrator")], definitions: ["acme/invoice"] },
        globex: { users: [user("gus", "administrator")], definitions: ["globex/report"] },
      },
    });
    // Steps: 0 notify (done), 1 processor, 2 pusher (dead), 3 pusher (pending).
    id = await seatPassenger(t.db, "acme", {
      external_id: HOSTILE,
      source_system: `<b onmouseover="x">src</b>`,
      payload: { note: HOSTILE, amount: 12.5 },
      attachments: [
        { name: ATTACHMENT, content: `<script>alert(2)</script>`, media_type: "text/html" },
        { name: "scan.bin", content: new Uint8Array([0, 1, 2, 255]), media_type: "application/octet-stream" },
      ],
      processors: ["acme/check"],
      pushers: ["acme/push_a", "acme/push_b"],
      notified: true,
      failed: [{ step: 2, error: `target said ${HOSTILE}`, dead: true }],
    });
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string) => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    return b;
  };
  const entryUrl = (client = "acme") => `/queue/${client}/${id}`;
  const stepState = async (index: number) => (await t.db.getEntry("acme", id))!.steps[index]!.state;

  describe("when the whole page is asked for", () => {
    it("shows payload, attachments, the notified flag and every step with status, attempts, error and next attempt", async () => {
      const b = await loggedIn("acme", "ann");
      const page = await b.get(entryUrl());
      expect(page.status).toBe(200);
      expect(page.text).toStartWith("<!doctype html>");
      expect(page.text).toContain(`&quot;amount&quot;: 12.5`);
      expect(page.text).toContain(`<span data-test="puller-notified">Puller notified: yes</span>`);
      expect(page.text).toContain(`<span class="badge dead">dead</span>`);
      expect(page.text).toContain(`<span class="badge step-done">done</span>`);
      expect(page.text).toContain(`<span class="badge step-failed">failed</span>`);
      expect(page.text).toContain("waits for a person");
      expect(page.text).toContain(`data-test="retry-2"`);
      expect(page.text).toContain(`data-test="skip-3"`);
      expect(page.text).not.toContain(`data-test="retry-3"`);
      expect(page.text).toContain(`data-test="retry-all-failed"`);
      expect(page.text).toContain(`href="/queue/acme/${id}/attachments/scan.bin"`);
      expect(page.text).not.toContain(`data-test="delete-entry"`);
    });

    it("renders hostile payload, external id, source, error and attachment name and content escaped", async () => {
      const page = await (await loggedIn("acme", "ann")).get(entryUrl());
      expect(page.text).not.toContain("<script>alert");
      expect(page.text).not.toContain("<b onmouseover");
      expect(page.text).toContain(`<span class="mono">${ESCAPED}</span>`);
      expect(page.text).toContain(`&quot;note&quot;: &quot;${ESCAPED}&quot;`);
      expect(page.text).toContain(`target said ${ESCAPED}`);
      expect(page.text).toContain(`&lt;script&gt;alert(1).html</a>`);
      expect(page.text).toContain(`href="/queue/acme/${id}/attachments/%3Cscript%3Ealert(1).html"`);
      expect(page.text).toContain(`<pre class="preview">&lt;script&gt;alert(2)&lt;/script&gt;</pre>`);
    });

    it("offers Delete to administrators", async () => {
      const page = await (await loggedIn("acme", "adam")).get(entryUrl());
      expect(page.text).toContain(`data-test="delete-entry"`);
    });
  });

  describe("when htmx asks for the entry", () => {
    it("answers with the steps fragment only", async () => {
      const res = await (await loggedIn("acme", "ann")).get(entryUrl(), HTMX_PARTIAL);
      expect(res.text).toStartWith(`<section id="steps"`);
      expect(res.text).not.toContain("<html");
      expect(res.headers.get("vary")).toContain("HX-Request-Type");
    });
  });

  describe("when an operator retries a failed step with htmx", () => {
    it("returns the steps fragment with the new state and records the action in a linked log", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get(entryUrl());
      const res = await b.post(`${entryUrl()}/steps/2/retry`, {}, HTMX_PARTIAL);
      expect(res.status).toBe(200);
      expect(res.text).toStartWith(`<section id="steps"`);
      expect(res.text).not.toContain("<html");
      expect(res.text).toMatch(/data-test="step-2">.*?<span class="badge step-pending">pending<\/span>/s);
      expect(res.text).toContain(`<span class="badge pending">pending</span>`);
      expect(await stepState(2)).toBe("pending");
      const { logs } = await t.db.listLogs("acme", {}, { offset: 0, limit: 10 });
      expect(logs).toHaveLength(1);
      expect(logs[0]!.title).toBe(`console: retry pusher acme/push_a of ${HOSTILE}`);
      expect(logs[0]!.definition).toBe("acme/invoice");
      const log = await t.db.readLog("acme", logs[0]!.id);
      expect(log!.entries[0]!.message).toStartWith("ann: retried the pusher acme/push_a");
      const page = await b.get(entryUrl());
      expect(page.text).toContain(`href="/logs/acme/${logs[0]!.id}"`);
    });
  });

  describe("when a plain form posts a step action (no JavaScript)", () => {
    it("skips the step and answers 303 back to the entry page", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get(entryUrl());
      const res = await b.post(`${entryUrl()}/steps/3/skip`, {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(entryUrl());
      expect(await stepState(3)).toBe("skipped");
    });

    it("retries every failed step with Retry all failed", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get(entryUrl());
      expect((await b.post(`${entryUrl()}/retry-failed`, {})).status).toBe(303);
      expect(await stepState(2)).toBe("pending");
    });
  });

  describe("when the step's state does not allow the action", () => {
    it("answers 409 DBUS_Q_ACTION_NOT_ALLOWED, as an alert for htmx, and changes nothing", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get(entryUrl());
      const plain = await b.post(`${entryUrl()}/steps/3/retry`, {});
      expect(plain.status).toBe(409);
      expect(plain.text).toContain("DBUS_Q_ACTION_NOT_ALLOWED");
      const htmx = await b.post(`${entryUrl()}/steps/0/skip`, {}, HTMX_PARTIAL);
      expect(htmx.status).toBe(409);
      expect(htmx.headers.get("hx-retarget")).toBe("#alerts");
      expect(htmx.text).toStartWith(`<div class="alert" role="alert">`);
      expect(await stepState(3)).toBe("pending");
      expect(await stepState(0)).toBe("done");
      expect((await t.db.listLogs("acme", {}, { offset: 0, limit: 10 })).total).toBe(0);
    });

    it("answers 400 for a step number the entry does not have or an unknown action", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get(entryUrl());
      expect((await b.post(`${entryUrl()}/steps/9/retry`, {})).status).toBe(400);
      expect((await b.post(`${entryUrl()}/steps/2/explode`, {})).status).toBe(400);
    });
  });

  describe("when someone deletes the entry", () => {
    it("refuses operators with 403 on the confirmation and the POST", async () => {
      const b = await loggedIn("acme", "ann");
      await b.get(entryUrl());
      expect((await b.get(`${entryUrl()}/delete`)).status).toBe(403);
      const res = await b.post(`${entryUrl()}/delete`, {});
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_FORBIDDEN");
      expect(await t.db.getEntry("acme", id)).toBeDefined();
    });

    it("lets an administrator confirm, deletes, logs it and goes back to the queue", async () => {
      const b = await loggedIn("acme", "adam");
      const confirm = await b.get(`${entryUrl()}/delete`);
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain(`<form method="post" action="/queue/acme/${id}/delete">`);
      expect(confirm.text).not.toContain("<script>alert");
      const res = await b.post(`${entryUrl()}/delete`, {});
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/queue");
      expect(await t.db.getEntry("acme", id)).toBeUndefined();
      const { logs } = await t.db.listLogs("acme", {}, { offset: 0, limit: 10 });
      expect(logs.map((l) => l.title)).toEqual([`console: delete ${HOSTILE}`]);
    });
  });

  describe("when an attachment is downloaded", () => {
    it("sends it as an attachment with a safe file name, nosniff, and never as HTML", async () => {
      const res = await (await loggedIn("acme", "ann")).get(`${entryUrl()}/attachments/${encodeURIComponent(ATTACHMENT)}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="_script_alert(1).html"; filename*=UTF-8''%3Cscript%3Ealert%281%29.html`);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-type")).toBe("application/octet-stream");
      expect(res.headers.get("content-security-policy")).toContain("sandbox");
      expect(res.text).toBe("<script>alert(2)</script>");
    });

    it("sends binary content byte for byte with its stored type", async () => {
      const b = await loggedIn("acme", "ann");
      const res = await t.app.handle(new Request(`http://localhost${entryUrl()}/attachments/scan.bin`, { headers: { cookie: b.cookieLine() } }));
      expect(res.headers.get("content-type")).toBe("application/octet-stream");
      expect(res.headers.get("content-disposition")).toStartWith(`attachment; filename="scan.bin"`);
      expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    });

    it("answers 404 for a name the entry has not and for a name that is not allowed", async () => {
      const b = await loggedIn("acme", "ann");
      expect((await b.get(`${entryUrl()}/attachments/nothing.txt`)).status).toBe(404);
      expect((await b.get(`${entryUrl()}/attachments/..%2Fpassenger.json`)).status).toBe(404);
    });
  });

  describe("when the URL names something that is not there or not valid", () => {
    it("answers 400 for a bad passenger id or client id and 404 for an unknown passenger", async () => {
      const b = await loggedIn("acme", "ann");
      const badId = await b.get("/queue/acme/not-a-uuid");
      expect(badId.status).toBe(400);
      expect(badId.text).toContain("DBUS_WEB_BAD_INPUT");
      expect((await b.get(`/queue/ACME%3Cx%3E/${id}`)).status).toBe(400);
      const unknown = await b.get("/queue/acme/01900000-0000-7000-8000-000000000000");
      expect(unknown.status).toBe(404);
      expect(unknown.text).toContain("DBUS_Q_ENTRY_NOT_FOUND");
    });
  });

  describe("the role matrix", () => {
    it("sends anonymous visitors to /login for the page, the download and the actions", async () => {
      const anon = t.browser();
      for (const res of [
        await anon.get(entryUrl()),
        await anon.get(`${entryUrl()}/attachments/scan.bin`),
        await anon.post(`${entryUrl()}/steps/2/retry`, {}),
      ]) {
        expect(res.status).toBe(303);
        expect(res.headers.get("location")).toBe("/login");
      }
      expect(await stepState(2)).toBe("failed");
    });

    it("refuses a user of another client with 403 everywhere and shows nothing of the entry", async () => {
      const b = await loggedIn("globex", "gus");
      await b.get("/");
      for (const res of [
        await b.get(entryUrl()),
        await b.get(`${entryUrl()}/attachments/scan.bin`),
        await b.post(`${entryUrl()}/steps/2/retry`, {}),
        await b.post(`${entryUrl()}/delete`, {}),
      ]) {
        expect(res.status).toBe(403);
        expect(res.text).not.toContain("acme/push_a");
      }
      expect(await stepState(2)).toBe("failed");
    });

    it("lets a root administrator see and act on another client's entry", async () => {
      const b = await loggedIn("root", "boss");
      const page = await b.get(entryUrl());
      expect(page.status).toBe(200);
      expect(page.text).toContain(`href="/queue?client=acme"`);
      const res = await b.post(`${entryUrl()}/steps/2/retry`, {}, HTMX_PARTIAL);
      expect(res.status).toBe(200);
      expect(await stepState(2)).toBe("pending");
      const { logs } = await t.db.listLogs("acme", {}, { offset: 0, limit: 1 });
      const log = await t.db.readLog("acme", logs[0]!.id);
      expect(log!.entries[0]!.message).toStartWith("boss (client root): retried");
    });

    it("refuses a POST without the CSRF token with 403 DBUS_AUTH_CSRF", async () => {
      const b = await loggedIn("acme", "ann");
      const res = await b.post(`${entryUrl()}/steps/2/retry`, { _csrf: null });
      expect(res.status).toBe(403);
      expect(res.text).toContain("DBUS_AUTH_CSRF");
      expect(await stepState(2)).toBe("failed");
    });
  });
});
