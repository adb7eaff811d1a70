/**
 * `databus/mail/smtp_pusher`: delivers a passenger as a mail. The body is the passenger's
 * `_body.txt` / `_body.html` when it has them (an Email passes through as it came), otherwise
 * its payload as JSON; every other attachment is attached with its media type. The Message-ID
 * is derived from the idempotency key, so a receiving system can drop a repeat.
 *
 * Options: host, port, tls (true | false | "starttls"), user, password | password_file, from,
 * to (required; a text or a list), cc, subject (default: the payload's `subject`, else
 * `<type> <external_id>`), timeout_seconds (30).
 */
import { createHash } from "node:crypto";
import { Pusher, type Passenger, type PushContext } from "../../sdk/index";
import { BODY_HTML, BODY_TEXT, fileAttachments } from "./attachments";
import { MailOptionError, readSmtp, withCodeDefaults, type SmtpPusherOptions } from "./mail-options";
import { sendMail } from "./smtp";

/**
 * `databus/mail/smtp_pusher`: sends each passenger as a mail.
 *
 * @example
 * ```ts
 * import { SmtpPusher, type SmtpPusherOptions } from "databus/mail";
 * export default class ToAccounting extends SmtpPusher {
 *   options: SmtpPusherOptions = { host: "smtp.example.com", tls: "starttls", to: "accounting@example.com" };
 * }
 * ```
 */
export default class SmtpPusher extends Pusher {
  /** Option defaults in code; the client config's options override them key by key. */
  options: SmtpPusherOptions = {};

  async push(passenger: Passenger, context: PushContext): Promise<void> {
    const ctx = withCodeDefaults(context, this.options);
    const smtp = await readSmtp(ctx.options, ctx.driver, ctx.files);
    const to = recipients(ctx.options.to, "to", ctx.driver, true);
    const text = passenger.attachmentText(BODY_TEXT);
    const html = passenger.attachmentText(BODY_HTML);
    await sendMail(
      smtp,
      {
        to,
        cc: recipients(ctx.options.cc, "cc", ctx.driver, false),
        subject: subjectOf(passenger, ctx.options.subject),
        text: text ?? (html === undefined ? JSON.stringify(passenger.payload, null, 2) : undefined),
        html,
        messageId: `<${createHash("sha256").update(ctx.idempotencyKey).digest("hex").slice(0, 32)}@databus.invalid>`,
        headers: { "X-Databus-Idempotency-Key": ctx.idempotencyKey },
        attachments: fileAttachments(passenger.attachments).map((a) => ({
          filename: a.name,
          content: typeof a.content === "string" ? a.content : Buffer.from(a.content),
          contentType: a.media_type,
        })),
      },
      ctx.signal,
    );
  }
}

function recipients(v: unknown, key: string, driver: string, required: boolean): string[] | undefined {
  if (v === undefined || v === null) {
    if (required) throw new MailOptionError(`${driver}: the option \`${key}\` is missing (one address or a list).`);
    return undefined;
  }
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || !list.every((x) => typeof x === "string" && x.includes("@")))
    throw new MailOptionError(`${driver}: the option \`${key}\` must be an address or a list of addresses.`);
  return list as string[];
}

function subjectOf(p: Passenger, configured: unknown): string {
  if (typeof configured === "string" && configured.trim() !== "") return configured;
  const payload = p.payload as { subject?: unknown } | null;
  if (payload && typeof payload === "object" && typeof payload.subject === "string" && payload.subject !== "") return payload.subject;
  return `${p.type || "passenger"} ${p.external_id}`;
}
