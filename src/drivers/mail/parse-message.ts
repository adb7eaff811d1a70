/**
 * One raw message (RFC 5322 source) → an Email passenger, or the reason it is not a mail.
 * Pure but for the parser's own work; knows nothing of IMAP sessions.
 */
import type { AddressObject, ParsedMail, SimpleParserOptions } from "mailparser";

/** Loaded on first use (see imap-session.ts). */
const simpleParser = (source: Buffer, options: SimpleParserOptions): Promise<ParsedMail> =>
  (require("mailparser") as typeof import("mailparser")).simpleParser(source, options);
import type { Attachment } from "../../sdk/index";
import { BODY_HTML, BODY_TEXT, safeAttachmentName } from "./attachments";
import Email, { type EmailClass } from "./email";

/** Where the message was found: becomes the payload's location fields. */
export interface MessageOrigin {
  account: string;
  /** The dedupe source: one per mailbox, so the same mail in two mailboxes is two passengers. */
  sourceSystem: string;
  folder: string;
  uid: number;
  uidValidity: string;
}

export type ParsedMessage<T extends Email = Email> = { ok: true; email: T } | { ok: false; reason: string };

/**
 * Parses the message. The parser accepts nearly anything, so "malformed" is decided here: a
 * source in which it finds neither a From nor a Date header (RFC 5322 §3.6 requires both) is
 * not a mail, and neither is one the parser throws on. The Email is made as `passengerClass`
 * (a plugin's subclass of Email, when a puller subclass says so).
 */
export async function parseMessage<T extends Email = Email>(
  source: Uint8Array,
  origin: MessageOrigin,
  passengerClass: EmailClass<T> = Email as EmailClass as EmailClass<T>,
): Promise<ParsedMessage<T>> {
  let mail: Awaited<ReturnType<typeof simpleParser>>;
  try {
    mail = await simpleParser(Buffer.from(source), { skipImageLinks: true, skipTextToHtml: true });
  } catch (e) {
    return { ok: false, reason: `the parser failed (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!mail.headers.has("from") && !mail.headers.has("date")) return { ok: false, reason: "it has neither a From nor a Date header" };
  const messageId = (mail.messageId ?? "").replace(/^<|>$/g, "").trim();
  const taken = new Set<string>([BODY_TEXT, BODY_HTML]);
  const attachments: Attachment[] = [];
  if (mail.text) attachments.push({ name: BODY_TEXT, content: mail.text, media_type: "text/plain" });
  if (typeof mail.html === "string" && mail.html) attachments.push({ name: BODY_HTML, content: mail.html, media_type: "text/html" });
  mail.attachments.forEach((a, i) => {
    attachments.push({
      name: safeAttachmentName(a.filename, `attachment-${i + 1}${extensionFor(a.contentType)}`, taken),
      content: new Uint8Array(a.content),
      media_type: a.contentType || "application/octet-stream",
    });
  });
  const email = new passengerClass({
    // Without a Message-ID the mailbox position is the only stable identity the mail has.
    external_id: messageId || `${origin.account}/${origin.folder}/${origin.uidValidity}/${origin.uid}`,
    source_system: origin.sourceSystem,
    payload: {
      account: origin.account,
      folder: origin.folder,
      uid: origin.uid,
      uid_validity: origin.uidValidity,
      message_id: messageId,
      subject: mail.subject ?? "",
      from: mail.from?.text ?? "",
      to: addresses(mail.to),
      cc: addresses(mail.cc),
      date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    },
    attachments,
  });
  return { ok: true, email };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((f) => f.value.map((v) => (v.name ? `${v.name} <${v.address ?? ""}>` : (v.address ?? "")))).filter(Boolean);
}

/** A file extension for an unnamed attachment, so it opens with the right program. */
function extensionFor(mediaType: string | undefined): string {
  const known: Record<string, string> = {
    "application/pdf": ".pdf", "application/zip": ".zip", "application/xml": ".xml", "text/xml": ".xml",
    "text/plain": ".txt", "text/html": ".html", "text/csv": ".csv", "image/png": ".png", "image/jpeg": ".jpg",
    "message/rfc822": ".eml", "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
  };
  return known[(mediaType ?? "").toLowerCase()] ?? ".bin";
}
