/** Observer mail through a real SMTP server on loopback: Postfix's smtp-sink (Debian package postfix). */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { simpleParser } from "mailparser";
import type { MailTarget } from "../../../src/core/observers";
import { sendMail } from "../../../src/observers/mail";
import type { ObserverMessage } from "../../../src/observers/message";
import { startSmtpSink, type SmtpSink } from "../../support/mail-servers";

const MESSAGE: ObserverMessage = {
  type: "incident",
  event: "entry_dead",
  client: "acme",
  definition: "acme/invoice",
  observer: "ops mail",
  summary: "Passenger 0190-abc of acme/invoice is dead at the pusher acme/erp step.",
  opened_at: "2026-03-01T08:00:00.000Z",
  at: "2026-03-01T08:00:00.000Z",
  alias: "LIVE",
  details: { passenger: "0190-abc", step: "pusher acme/erp" },
};

describe("observer mail", () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.stop());

  const target = (over: Partial<MailTarget> = {}): MailTarget => ({
    kind: "mail", host: sink.host, port: sink.port, secure: false, user: null, password: null,
    from: "databus@example.test", to: ["ops@example.test", "oncall@example.test"], timeoutMs: 5000, ...over,
  });

  describe("when the SMTP server accepts", () => {
    it("delivers one mail with the subject, recipients and the incident in the text", async () => {
      await sink.clear();
      await sendMail(target(), MESSAGE);
      const mails = await sink.received();
      expect(mails.length).toBe(1);
      // smtp-sink stores the raw transaction: folded headers, quoted-printable body; read it as a mail client would.
      const mail = await simpleParser(mails[0]!);
      expect(mail.subject).toBe("[Databus LIVE] acme: Passenger 0190-abc of acme/invoice is dead at the pusher acme/erp step.");
      expect(mails[0]).toContain("X-Rcpt-Args: <ops@example.test>\nX-Rcpt-Args: <oncall@example.test>");
      expect(mail.from?.text).toBe("databus@example.test");
      expect(mail.text).toContain("Definition: acme/invoice");
      expect(mail.text).toContain("Incident:   entry_dead, opened 2026-03-01T08:00:00.000Z");
      expect(mail.text).toContain("You hear once per incident, and once when it clears.");
    });

    it("marks a recovery in the subject", async () => {
      await sink.clear();
      await sendMail(target(), { ...MESSAGE, type: "recovery", summary: "No passenger of acme/invoice is dead any more." });
      const [raw] = await sink.received();
      expect((await simpleParser(raw!)).subject).toBe("[Databus LIVE] acme: resolved: No passenger of acme/invoice is dead any more.");
    });
  });

  describe("when nothing listens on the port", () => {
    it("fails with the server named and no password in the message", async () => {
      const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
      const port = closed.port;
      closed.stop(true);
      const attempt = sendMail(target({ port, user: "bot", password: "smtp-pass-123" }), MESSAGE);
      await expect(attempt).rejects.toThrow(`mail through 127.0.0.1:${port} failed`);
      await attempt.catch((e: Error) => expect(e.message).not.toContain("smtp-pass-123"));
    });
  });
});
