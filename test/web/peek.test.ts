/** Peek page: what waits per definition and puller (ok / unsupported / failed), attachment downloads, roles, escaping. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { DatabusError } from "../../src/core/errors";
import type { PeekResult } from "../../src/dispatcher/api";
import { HTMX_PARTIAL, createTestConsole, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });
const HOSTILE = "<script>alert(1)</script>";
const HOSTILE_FILE = "<img src=x onerror=alert(1)>.html";

const INVOICE_PEEK: PeekResult[] = [
  {
    puller: "databus/demo/puller_1",
    status: "ok",
    passengers: [
      {
        external_id: "INV-7",
        source_system: "mailbox",
        payload: { amount: 12 },
        attachments: [{ name: "invoice.txt", content: "total 12", media_type: "text/plain" }],
      },
      {
        external_id: HOSTILE,
        source_system: `<b onmouseover="x">src</b>`,
        payload: { note: HOSTILE },
        attachments: [{ name: HOSTILE_FILE, content: "<script>evil()</script>", media_type: "text/html" }],
      },
    ],
  },
  { puller: "acme/folder_puller", status: "unsupported" },
  { puller: "acme/api_puller", status: "failed", error: `DBUS_RUN_PULL_FAILED the API said ${HOSTILE}` },
];

describe("peek page", () => {
  let t: TestConsole;
  let peekCalls: Array<[string, string]>;
  beforeEach(async () => {
    t = await createTestConsole({
      clients: {
        root: { users: [user("boss", "administrator")] },
        acme: { users: [user("ann", "operator"), user("ada", "administrator")], definitions: ["acme/invoice", "acme/order"] },
        globex: { users: [user("gus", "administrator")], definitions: ["globex/report"] },
      },
    });
    peekCalls = [];
    t.dispatcher.peek = async (client, definition) => {
      peekCalls.push([client, definition]);
      if (definition === "acme/invoice") return INVOICE_PEEK;
      if (definition === "acme/order") throw new DatabusError("DBUS_DSP_UNKNOWN_DEFINITION", { client, definition });
      if (definition === "globex/report") return [{ puller: "globex/sftp", status: "ok", passengers: [] }];
      throw new Error("boom");
    };
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string) => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    return b;
  };

  describe("when nobody is logged in", () => {
    it("redirects to /login and peeks at nothing", async () => {
      for (const path of ["/peek", "/peek/attachment?definition=acme/invoice"]) {
        const res = await t.browser().get(path);
        expect(res.status).toBe(303);
        expect(res.headers.get("location")).toBe("/login");
      }
      expect(peekCalls).toEqual([]);
    });
  });

  describe("when an operator opens it", () => {
    it("peeks every definition of the viewer's client and shows ok, unsupported and failed pullers", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/peek");
      expect(page.status).toBe(200);
      expect(peekCalls.sort()).toEqual([["acme", "acme/invoice"], ["acme", "acme/order"]]);
      expect(page.text).toContain(`<p data-test="waiting">2 passengers wait in the source.</p>`);
      expect(page.text).toContain(`<td class="mono">INV-7</td>`);
      expect(page.text).toContain(`{&quot;amount&quot;:12}`);
      expect(page.text).toContain(`data-test="unsupported">This puller cannot peek`);
      expect(page.text).toContain(`<div class="alert" role="alert" data-test="failed">`);
      expect(page.text).toContain("DBUS_RUN_PULL_FAILED the API said &lt;script&gt;alert(1)&lt;/script&gt;");
    });

    it("shows a definition the dispatcher refuses as an alert in its section, not a failed page", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/peek");
      expect(page.status).toBe(200);
      expect(page.text).toContain("Client acme has no passenger definition acme/order.");
    });

    it("renders every hostile field of a peeked passenger escaped", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/peek");
      expect(page.text).not.toContain(HOSTILE);
      expect(page.text).not.toContain("<img src=x");
      expect(page.text).not.toContain("<b onmouseover");
      expect(page.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page.text).toContain("&lt;img src=x onerror=alert(1)&gt;.html</a>");
    });

    it("peeks one definition when ?definition= names it, and htmx gets only the results", async () => {
      const b = await loggedIn("acme", "ann");
      const res = await b.get("/peek?definition=acme%2Finvoice", HTMX_PARTIAL);
      expect(res.status).toBe(200);
      expect(res.text).toStartWith(`<div id="peek-results">`);
      expect(res.text).not.toContain("<form");
      expect(peekCalls).toEqual([["acme", "acme/invoice"]]);
      expect(res.headers.get("vary")).toContain("HX-Request-Type");
    });

    it("refuses a ?definition= that is not a name with 400, escaped", async () => {
      const page = await (await loggedIn("acme", "ann")).get(`/peek?definition=${encodeURIComponent(HOSTILE)}`);
      expect(page.status).toBe(400);
      expect(page.text).toContain("DBUS_WEB_BAD_INPUT");
      expect(page.text).not.toContain(HOSTILE);
      expect(peekCalls).toEqual([]);
    });

    it("shows an unexpected peek failure as a message on the page", async () => {
      await t.db.writeConfig("acme", JSON.stringify({ passengers: [{ name: "acme/other", pullers: ["databus/demo/puller_1"] }] }));
      const page = await (await loggedIn("acme", "ann")).get("/peek");
      expect(page.status).toBe(200);
      expect(page.text).toContain("Peek failed: boom");
    });

    it("answers 403 for another client and peeks at nothing there", async () => {
      const page = await (await loggedIn("acme", "ada")).get("/peek?client=globex");
      expect(page.status).toBe(403);
      expect(page.text).toContain("DBUS_AUTH_FORBIDDEN");
      expect(peekCalls).toEqual([]);
    });
  });

  describe("when an attachment is downloaded", () => {
    const linkTo = (html: string, name: string): string => {
      const m = new RegExp(`<a href="([^"]+)" download="[^"]*">${name}</a>`).exec(html);
      if (!m) throw new Error(`no link to ${name}`);
      return m[1]!.replaceAll("&amp;", "&");
    };

    it("peeks again and streams that attachment as a download", async () => {
      const b = await loggedIn("acme", "ann");
      const href = linkTo((await b.get("/peek")).text, "invoice.txt");
      peekCalls = [];
      const res = await b.get(href);
      expect(res.status).toBe(200);
      expect(res.text).toBe("total 12");
      expect(res.headers.get("content-type")).toStartWith("text/plain");
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="invoice.txt"; filename*=UTF-8''invoice.txt`);
      expect(peekCalls).toEqual([["acme", "acme/invoice"]]);
    });

    it("sends stored HTML as bytes to download, never as a page", async () => {
      const b = await loggedIn("acme", "ann");
      const href = linkTo((await b.get("/peek")).text, "&lt;img src=x onerror=alert\\(1\\)&gt;\\.html");
      const res = await b.get(href);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/octet-stream");
      expect(res.headers.get("content-disposition")).toStartWith(`attachment; filename="<img src=x onerror=alert(1)>.html"`);
    });

    it("answers 404 DBUS_WEB_PEEK_GONE when the attachment no longer waits", async () => {
      const b = await loggedIn("acme", "ann");
      const href = linkTo((await b.get("/peek")).text, "invoice.txt");
      t.dispatcher.peek = async () => [{ puller: "databus/demo/puller_1", status: "ok", passengers: [] }];
      const res = await b.get(href);
      expect(res.status).toBe(404);
      expect(res.text).toContain("DBUS_WEB_PEEK_GONE");
    });

    it("refuses a malformed request with 400 before peeking", async () => {
      const b = await loggedIn("acme", "ann");
      const res = await b.get("/peek/attachment?definition=acme%2Finvoice&puller=databus%2Fdemo%2Fpuller_1&source=m&external_id=1&name=..");
      expect(res.status).toBe(400);
      expect(peekCalls).toEqual([]);
    });

    it("refuses another client's attachment (403)", async () => {
      const b = await loggedIn("acme", "ann");
      const res = await b.get("/peek/attachment?client=globex&definition=globex%2Freport&puller=globex%2Fsftp&source=s&external_id=1&name=a.txt");
      expect(res.status).toBe(403);
      expect(peekCalls).toEqual([]);
    });
  });

  describe("when a root administrator picks a client", () => {
    it("peeks that client's definitions and keeps the client in the form", async () => {
      const page = await (await loggedIn("root", "boss")).get("/peek?client=globex");
      expect(page.status).toBe(200);
      expect(peekCalls).toEqual([["globex", "globex/report"]]);
      expect(page.text).toContain(`<input type="hidden" name="client" value="globex"/>`);
      expect(page.text).toContain("0 passengers wait in the source.");
    });
  });

  describe("when the client's config is broken", () => {
    it("shows the config error and peeks at nothing", async () => {
      const b = await loggedIn("acme", "ann");
      await t.db.writeConfig("acme", "{ nope");
      const page = await b.get("/peek");
      expect(page.status).toBe(200);
      expect(page.text).toContain("DBUS_CFG_INVALID_JSON");
      expect(peekCalls).toEqual([]);
    });
  });
});
