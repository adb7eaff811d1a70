import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { createHmac } from "node:crypto";
import WebhookPusher from "../../../../src/drivers/http/pusher-webhook";
import { Passenger } from "../../../../src/sdk/index";
import { fakeContext } from "../fake-context";

const DRIVER = "databus/http/webhook_pusher";
const ID = "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee";
const KEY = `${ID}:${DRIVER}`;

interface Seen {
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
}

function passenger(): Passenger {
  const p = new Passenger({ external_id: "inv-7", source_system: "erp", payload: { total: 7 }, attachments: [{ name: "inv.pdf", content: new Uint8Array([1, 2, 3]), media_type: "application/pdf" }] });
  p.id = ID;
  return p;
}

describe("databus/http/webhook_pusher", () => {
  let server: ReturnType<typeof Bun.serve>;
  let seen: Seen[] = [];
  let answer: () => Response = () => new Response("ok");
  beforeAll(() => {
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(req) {
        seen.push({ headers: req.headers, body: new Uint8Array(await req.arrayBuffer()), contentType: req.headers.get("content-type") ?? "" });
        return answer();
      },
    });
  });
  afterAll(() => server.stop(true));
  beforeEach(() => {
    seen = [];
    answer = () => new Response("ok");
  });

  const url = () => `http://127.0.0.1:${server.port}/hook?token=abc123`;
  const ctx = (options: Record<string, unknown> = {}) => fakeContext({ driver: DRIVER, idempotencyKey: KEY, options: { url: url(), ...options } });

  describe("when the target accepts", () => {
    it("posts the passenger as JSON with the Idempotency-Key and the extra headers", async () => {
      const c = ctx({ headers: { Authorization: "Bearer s3cret" } });
      await new WebhookPusher().push(passenger(), c);
      const [req] = seen;
      expect(req!.headers.get("idempotency-key")).toBe(KEY);
      expect(req!.headers.get("authorization")).toBe("Bearer s3cret");
      expect(req!.contentType).toBe("application/json");
      expect(JSON.parse(new TextDecoder().decode(req!.body))).toMatchObject({
        id: ID, external_id: "inv-7", source_system: "erp", idempotency_key: KEY, payload: { total: 7 },
        attachments: [{ name: "inv.pdf", media_type: "application/pdf", size: 3 }],
      });
      expect(c.lines).toEqual([{ level: "info", message: `Delivered inv-7 to http://127.0.0.1:${server.port}/hook (HTTP 200).` }]);
      expect(JSON.stringify(c.lines)).not.toContain("s3cret");
      expect(JSON.stringify(c.lines)).not.toContain("abc123");
    });

    it("inlines attachments as base64 when asked", async () => {
      await new WebhookPusher().push(passenger(), ctx({ attachments: "inline" }));
      const body = JSON.parse(new TextDecoder().decode(seen[0]!.body));
      expect(body.attachments).toEqual([{ name: "inv.pdf", media_type: "application/pdf", size: 3, content_base64: "AQID" }]);
    });

    it("sends multipart with the JSON part and each attachment as a file part", async () => {
      await new WebhookPusher().push(passenger(), ctx({ attachments: "multipart" }));
      const form = await new Response(seen[0]!.body, { headers: { "content-type": seen[0]!.contentType } }).formData();
      expect(JSON.parse(await (form.get("passenger") as Blob).text())).toMatchObject({ external_id: "inv-7" });
      const file = form.get("attachments") as File;
      expect(file.name).toBe("inv.pdf");
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    });
  });

  describe("when a secret is set", () => {
    it("signs the exact body with HMAC-SHA256, and the server can verify it", async () => {
      for (const attachments of ["none", "multipart"]) {
        seen = [];
        const c = ctx({ secret: "hush-hush", attachments });
        await new WebhookPusher().push(passenger(), c);
        const expected = `sha256=${createHmac("sha256", "hush-hush").update(seen[0]!.body).digest("hex")}`;
        expect(seen[0]!.headers.get("x-databus-signature")).toBe(expected);
        expect(JSON.stringify(c.lines)).not.toContain("hush-hush");
      }
    });

    it("reads it from a client file with secret_file, under the header named by signature_header", async () => {
      const c = ctx({ secret_file: "hook.secret", signature_header: "X-Sig" });
      const withFile = { ...c, files: { ...c.files, read: async (name: string) => (name === "hook.secret" ? "from-file\n" : Promise.reject(new Error("no"))) } };
      await new WebhookPusher().push(passenger(), withFile);
      expect(seen[0]!.headers.get("x-sig")).toBe(`sha256=${createHmac("sha256", "from-file").update(seen[0]!.body).digest("hex")}`);
    });
  });

  describe("when the target refuses or fails", () => {
    const failure = (status: number, body = "") => {
      answer = () => new Response(body, { status });
      return new WebhookPusher().push(passenger(), ctx()).then(() => null, (e: Error & { code?: string }) => e);
    };

    it("throws a retryable error on 5xx, 408 and 429, quoting the start of the answer", async () => {
      for (const status of [500, 503, 408, 429]) {
        const e = await failure(status, "try   later");
        expect({ status, code: e?.code }).toEqual({ status, code: undefined });
        expect(e?.message).toContain(`answered HTTP ${status}`);
      }
      expect((await failure(503, "try   later"))?.message).toContain(": try later; Databus will try again.");
    });

    it("throws an UnrecoverableError on other 4xx and on redirects", async () => {
      for (const status of [400, 401, 404, 422]) expect({ status, code: (await failure(status))?.code }).toEqual({ status, code: "DBUS_RUN_UNRECOVERABLE" });
      answer = () => new Response(null, { status: 301, headers: { location: "https://elsewhere/" } });
      const e = await new WebhookPusher().push(passenger(), ctx()).catch((x) => x);
      expect(e.code).toBe("DBUS_RUN_UNRECOVERABLE");
      expect(e.message).toContain("a redirect; set the option `url`");
    });

    it("says it could not reach a closed port, without the query string", async () => {
      const closed = Bun.serve({ port: 0, fetch: () => new Response() });
      const port = closed.port;
      closed.stop(true);
      const e = await new WebhookPusher().push(passenger(), ctx({ url: `http://127.0.0.1:${port}/x?token=abc123` })).catch((x) => x);
      expect(e.message).toStartWith(`${DRIVER}: could not reach http://127.0.0.1:${port}/x (`);
      expect(e.message).not.toContain("abc123");
      expect(e.code).toBeUndefined();
    });

    it("refuses a url that is not http(s) without echoing it", async () => {
      const e = await new WebhookPusher().push(passenger(), ctx({ url: "ftp://user:pw@host/" })).catch((x) => x);
      expect(e.message).toBe(`${DRIVER}: the option \`url\` must start with http:// or https://. Fix it in the client's configuration.`);
    });
  });
});
