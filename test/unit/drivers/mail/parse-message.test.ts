import { describe, expect, it } from "bun:test";
import { parseMessage } from "../../../../src/drivers/mail/parse-message";
import { attachmentPart, buildMessage } from "../../../support/mail-servers";

const origin = { account: "box", sourceSystem: "imap://u@h", folder: "INBOX", uid: 7, uidValidity: "42" };
const bytes = (s: string) => new TextEncoder().encode(s);

describe("parseMessage", () => {
  it("turns a mail into an Email with its location, headers, bodies and files", async () => {
    const raw = buildMessage({ id: "x@test", subject: "Hi", to: "a@test", text: "plain", html: "<p>rich</p>", parts: [attachmentPart("", "application/pdf", bytes("%PDF"))] });
    const parsed = await parseMessage(bytes(raw), origin);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.email.external_id).toBe("x@test");
    expect(parsed.email.source_system).toBe("imap://u@h");
    expect(parsed.email.payload).toMatchObject({ account: "box", folder: "INBOX", uid: 7, uid_validity: "42", subject: "Hi", to: ["a@test"] });
    expect(parsed.email.attachments.map((a) => a.name)).toEqual(["_body.txt", "_body.html", "attachment-1.pdf"]);
  });

  it("uses the mailbox position as external id when the mail has no Message-ID", async () => {
    const parsed = await parseMessage(bytes("From: a@test\r\nSubject: no id\r\n\r\nbody\r\n"), origin);
    expect(parsed.ok && parsed.email.external_id).toBe("box/INBOX/42/7");
  });

  it("calls a source without From and Date headers malformed", async () => {
    expect(await parseMessage(bytes("garbage without headers"), origin)).toEqual({ ok: false, reason: "it has neither a From nor a Date header" });
  });
});
