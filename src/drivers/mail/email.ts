/**
 * `databus/mail/email`: the passenger type of the IMAP pullers. Its payload is the mail's header
 * data and where it lives on the server; its body and files are attachments (`_body.txt`,
 * `_body.html`, then each attached file with its media type). The helpers work on any stored
 * Email, in processors as well as pushers.
 */
import { Passenger, type Attachment, type PassengerInit } from "../../sdk/index";
import { attachmentsByExtension, BODY_HTML, BODY_TEXT, excelAttachments, fileAttachments } from "./attachments";
import { downloadLinkedFiles, type LinkedFileOptions, type LinkedFiles } from "./linked-files";
import { unzipAttachments, type UnzipOptions } from "./unzip";

export interface EmailPayload {
  /** The mailbox account it came from (the account's `name`, by default `user@host`). */
  account: string;
  /** The folder it was found in. */
  folder: string;
  /** IMAP UID and UIDVALIDITY of the folder when pulled: how notifySeated finds it again. */
  uid: number;
  uid_validity: string;
  /** The Message-ID header without angle brackets ("" when the mail has none). */
  message_id: string;
  subject: string;
  /** The sender as written in the mail: `Name <address>`. */
  from: string;
  to: string[];
  cc: string[];
  /** The Date header as ISO time, or null when it is missing or unreadable. */
  date: string | null;
}

/**
 * `databus/mail/email`: a mail pulled by the IMAP pullers, with helpers for its body and files.
 * Extend it to give a mailbox's mails their own passenger type (and so their own definition).
 *
 * @example
 * ```ts
 * import { Email } from "databus/mail";
 * export default class OrderMail extends Email {}
 * ```
 */
export default class Email extends Passenger<EmailPayload> {
  /** The mail's plain-text body, or "" when it has none. */
  bodyText(): string {
    return this.attachmentText(BODY_TEXT) ?? "";
  }

  /** The mail's HTML body, or "" when it has none. */
  bodyHtml(): string {
    return this.attachmentText(BODY_HTML) ?? "";
  }

  /** The attached files, without the body parts. */
  files(): Attachment[] {
    return fileAttachments(this.attachments);
  }

  /**
   * The attached files with one of these extensions.
   *
   * @example
   * ```ts
   * const xml = mail.attachmentsByExtension("xml");
   * ```
   */
  attachmentsByExtension(...extensions: string[]): Attachment[] {
    return attachmentsByExtension(this.attachments, extensions);
  }

  /** Excel workbooks (xls, xlsx, xlsm, xlsb, or an Excel media type). */
  excelAttachments(): Attachment[] {
    return excelAttachments(this.attachments);
  }

  /** XML files. */
  xmlAttachments(): Attachment[] {
    return attachmentsByExtension(this.attachments, ["xml"]);
  }

  /**
   * Unpacks every zip attachment (in memory, with zip-bomb limits) and adds the files to this
   * passenger; returns the added ones. Throws UnrecoverableError for a zip over the limits.
   *
   * @example
   * ```ts
   * mail.unzipAttachments({ extensions: ["xml"] });
   * ```
   */
  unzipAttachments(options: Omit<UnzipOptions, "taken"> = {}): Attachment[] {
    const added = unzipAttachments(this.attachments, { ...options, taken: new Set(this.attachments.map((a) => a.name)) });
    this.attachments.push(...added);
    return added;
  }

  /**
   * Downloads the files the HTML body links to and adds them to this passenger. Private-network
   * targets are refused unless `allowPrivateNetworks`; refused links are returned in `skipped`.
   *
   * @example
   * ```ts
   * const { skipped } = await mail.downloadLinkedFiles({ extensions: ["pdf"], signal: ctx.signal });
   * for (const s of skipped) ctx.log.warning(`Not downloaded: ${s.url} (${s.reason}).`);
   * ```
   */
  async downloadLinkedFiles(options: Omit<LinkedFileOptions, "taken"> = {}): Promise<LinkedFiles> {
    const result = await downloadLinkedFiles(this.bodyHtml(), { ...options, taken: new Set(this.attachments.map((a) => a.name)) });
    this.attachments.push(...result.files);
    return result;
  }
}

/** The class of an Email type: what an IMAP puller's `passengerClass` holds. */
export type EmailClass<T extends Email = Email> = new (init: PassengerInit<EmailPayload>) => T;
