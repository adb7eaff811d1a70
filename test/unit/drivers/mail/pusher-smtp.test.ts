/** databus/mail/smtp_pusher against a real smtp-sink on loopback. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { simpleParser } from "mailparser";
import Email from "../../../../src/drivers/mail/email";
import SmtpPusher from "../../../../src/drivers/mail/pusher-smtp";
import { Passenger } from "../../../../src/sdk/index";
import { freePort, startSmtpSink, type SmtpSink } from "../../../support/mail-servers";
import { fakeContext } from "../fake-context";

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
}, 30_000);
afterAll(async () => {
  await sink?.stop();
});
beforeEach(() => sink.clear());

const options = (extra: Record<string, unknown> = {}) => ({ host: sink.host, port: sink.port, tls: false, from: "databus@example.test", to: "erp@example.test", ...extra });

describe("databus/mail/smtp_pusher", () => {
  describe("when it pushes a plain passenger", () => {
    it("sends its payload as JSON with its attachments, keyed by the idempotency key", async () => {
      const p = new Passenger({ external_id: "INV-1", payload: { total: 12 }, attachments: [{ name: "inv.xml", content: "<inv/>", media_type: "application/xml" }] });
      p.type = "acme/invoice";
      const ctx = fakeContext({ options: options({ cc: ["audit@example.test"] }), idempotencyKey: "0190-id:databus/mail/smtp_pusher" });
      await new SmtpPusher().push(p, ctx);
      const [raw, ...more] = await sink.received();
      expect(more).toHaveLength(0);
      expect(raw).toContain("X-Rcpt-Args: <erp@example.test>");
      expect(raw).toContain("X-Rcpt-Args: <audit@example.test>");
      const mail = await simpleParser(raw!);
      expect(mail.subject).toBe("acme/invoice INV-1");
      expect(JSON.parse(mail.text!)).toEqual({ total: 12 });
      expect(mail.headers.get("x-databus-idempotency-key")).toBe("0190-id:databus/mail/smtp_pusher");
      expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@databus\.invalid>$/);
      expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([["inv.xml", "application/xml", "<inv/>"]]);
    });

    it("gives the same Message-ID to a repeat with the same idempotency key", async () => {
      const p = new Passenger({ external_id: "INV-2", payload: {} });
      const ctx = fakeContext({ options: options(), idempotencyKey: "id-2:pusher" });
      await new SmtpPusher().push(p, ctx);
      await new SmtpPusher().push(p, ctx);
      const ids = await Promise.all((await sink.received()).map(async (r) => (await simpleParser(r)).messageId));
      expect(ids).toHaveLength(2);
      expect(ids[0]).toBe(ids[1]!);
    });
  });

  describe("when it pushes an Email", () => {
    it("sends the mail's own subject, text and HTML bodies, and its files", async () => {
      const mail = new Email({
        external_id: "m-1@test",
        payload: { account: "a", folder: "INBOX", uid: 1, uid_validity: "1", message_id: "m-1@test", subject: "Order 7", from: "x@y", to: [], cc: [], date: null },
        attachments: [
          { name: "_body.txt", content: "See the order.", media_type: "text/plain" },
          { name: "_body.html", content: "<p>See the order.</p>", media_type: "text/html" },
          { name: "order.pdf", content: new Uint8Array([37, 80, 68, 70]), media_type: "application/pdf" },
        ],
      });
      await new SmtpPusher().push(mail, fakeContext({ options: options() }));
      const sent = await simpleParser((await sink.received())[0]!);
      expect(sent.subject).toBe("Order 7");
      expect(sent.text?.trim()).toBe("See the order.");
      expect(sent.html).toContain("<p>See the order.</p>");
      expect(sent.attachments.map((a) => a.filename)).toEqual(["order.pdf"]);
    });
  });

  describe("when the SMTP server cannot be reached", () => {
    it("fails with a message naming the server", async () => {
      const port = await freePort();
      const push = new SmtpPusher().push(new Passenger({ external_id: "x" }), fakeContext({ options: options({ port, password: "hunter2-secret", user: "u" }) }));
      const message = await push.then(() => "sent", (e: Error) => e.message);
      expect(message).toStartWith(`Nothing answers on 127.0.0.1:${port}`);
      expect(message).not.toContain("hunter2-secret");
    });
  });

  describe("when `to` is missing", () => {
    it("says which option to add", async () => {
      const { to: _, ...withoutTo } = options();
      await expect(new SmtpPusher().push(new Passenger({ external_id: "x" }), fakeContext({ driver: "databus/mail/smtp_pusher", options: withoutTo }))).rejects.toThrow(
        "databus/mail/smtp_pusher: the option `to` is missing (one address or a list).",
      );
    });
  });
});
