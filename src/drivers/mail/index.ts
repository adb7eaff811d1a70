/**
 * The "databus/mail" module: the mail drivers as classes plugins extend (`class OrderInbox extends
 * ImapPuller<OrderMail>`), with their option and payload types. Re-exports only; the host registers
 * it as a virtual module beside "databus", and `databus types` declares it for editors.
 */
export { default as Email, type EmailPayload, type EmailClass } from "./email";
export { default as ImapPuller } from "./puller-imap";
export { default as ImapAccountsPuller } from "./puller-imap-accounts";
export { default as ExcelFilter } from "./processor-excel-filter";
export { default as SmtpPusher } from "./pusher-smtp";
export type { ImapPullerOptions, ImapAccountOptions, SmtpOptions, SmtpPusherOptions, TlsMode, SeatedAction } from "./mail-options";
export type { UnzipOptions } from "./unzip";
export type { LinkedFileOptions, LinkedFiles } from "./linked-files";
