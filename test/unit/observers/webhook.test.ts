import { afterEach, describe, expect, it } from "bun:test";
import type { WebhookTarget } from "../../../src/core/observers";
import type { ObserverMessage } from "../../../src/observers/message";
import { sendWebhook, signBody } from "../../../src/observers/webhook";

const MESSAGE: ObserverMessage = {
  type: "incident", event: "run_errors", client: "acme", definition: "acme/invoice", observer: "ops",
  summary: "A run of acme/invoice ended with errors.", opened_at: "2026-03-01T08:00:00.000Z", at: "2026-03-01T08:00:00.000Z", details: {},
};

describe("observer webhook", () => {
  let server: ReturnType<typeof Bun.serve> | undefined;
  afterEach(() => server?.stop(true));
  const target = (path: string, over: Partial<WebhookTarget> = {}): WebhookTarget => ({ kind: "webhook", url: `http://u:pw-in-url@127.0.0.1:${server!.port}${path}`, secret: null, timeoutMs: 2000, ...over });

  describe("when the receiver answers", () => {
    it("POSTs the JSON with an HMAC-SHA256 signature of the exact body", async () => {
      const got: Array<{ body: string; sig: string | null; type: string | null; event: string | null }> = [];
      server = Bun.serve({ port: 0, hostname: "127.0.0.1", async fetch(r) {
        got.push({ body: await r.text(), sig: r.headers.get("x-databus-signature"), type: r.headers.get("content-type"), event: r.headers.get("x-databus-event") });
        return new Response(null, { status: 204 });
      } });
      await sendWebhook(target("/hook", { secret: "k" }), MESSAGE);
      expect(got.length).toBe(1);
      expect(JSON.parse(got[0]!.body)).toEqual(MESSAGE);
      expect(got[0]!.sig).toBe(`sha256=${new Bun.CryptoHasher("sha256", "k").update(got[0]!.body).digest("hex")}`);
      expect(got[0]!.sig).toBe(signBody(got[0]!.body, "k"));
      expect(got[0]!.type).toBe("application/json");
      expect(got[0]!.event).toBe("incident:run_errors");
    });
  });

  describe("when the receiver fails or hangs", () => {
    it("rejects with the status, or with the timeout, naming host and path but not the credentials", async () => {
      server = Bun.serve({ port: 0, hostname: "127.0.0.1", async fetch(r) {
        if (new URL(r.url).pathname === "/slow") await Bun.sleep(3000);
        return new Response("nope", { status: 500 });
      } });
      const failed = sendWebhook(target("/hook"), MESSAGE);
      await expect(failed).rejects.toThrow(`POST http://127.0.0.1:${server.port}/hook answered 500`);
      const slow = sendWebhook(target("/slow", { timeoutMs: 200 }), MESSAGE);
      await expect(slow).rejects.toThrow("no answer within 0.2s");
      await slow.catch((e: Error) => expect(e.message).not.toContain("pw-in-url"));
    });
  });
});
