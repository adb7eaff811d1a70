/**
 * Pure helpers over a passenger's attachments for the mail drivers: which are the mail's own files
 * (not its body), which have an extension, and how to turn a name from outside into a safe one.
 */
import type { Attachment } from "../../sdk/index";

/** Names the IMAP puller gives the message body; they are not the mail's attached files. */
export const BODY_TEXT = "_body.txt";
export const BODY_HTML = "_body.html";

export const EXCEL_EXTENSIONS = ["xls", "xlsx", "xlsm", "xlsb"];
const EXCEL_MEDIA_TYPES = new Set([
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-excel.sheet.macroenabled.12",
  "application/vnd.ms-excel.sheet.binary.macroenabled.12",
]);

/** Every attachment but the body parts `_body.txt` and `_body.html`. */
export function fileAttachments(attachments: readonly Attachment[]): Attachment[] {
  return attachments.filter((a) => a.name !== BODY_TEXT && a.name !== BODY_HTML);
}

/** Lower-case extension without the dot (`"report.XLSX"` → `"xlsx"`), or "" when there is none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot + 1).toLowerCase();
}

/** Normalises `[".XLSX", "xml"]` to `["xlsx", "xml"]`. */
export function normaliseExtensions(extensions: readonly string[]): string[] {
  return extensions.map((e) => e.replace(/^\./, "").toLowerCase());
}

/** The mail's files whose name ends in one of `extensions` (case-insensitive, with or without the dot). */
export function attachmentsByExtension(attachments: readonly Attachment[], extensions: readonly string[]): Attachment[] {
  const wanted = new Set(normaliseExtensions(extensions));
  return fileAttachments(attachments).filter((a) => wanted.has(extensionOf(a.name)));
}

/** Excel workbooks, recognised by extension or by media type. */
export function excelAttachments(attachments: readonly Attachment[]): Attachment[] {
  const wanted = new Set(EXCEL_EXTENSIONS);
  return fileAttachments(attachments).filter((a) => wanted.has(extensionOf(a.name)) || EXCEL_MEDIA_TYPES.has((a.media_type ?? "").toLowerCase()));
}

const MAX_NAME = 200;

/**
 * A name that is safe as one file name (no folders, no `..`, no control characters, at most 200
 * characters) and not yet in `taken`, which it is added to. Names from mails and zip files are
 * chosen by strangers: `../../etc/passwd` becomes `passwd`, a second `a.pdf` becomes `a (2).pdf`.
 */
export function safeAttachmentName(raw: string | undefined, fallback: string, taken: Set<string>): string {
  const last = (raw ?? "").split(/[/\\]/).pop() ?? "";
  // biome-ignore lint: control characters are exactly what we strip
  let name = last.replace(/[\x00-\x1f\x7f]/g, "").trim();
  if (name === "" || name === "." || name === "..") name = fallback;
  if (name.length > MAX_NAME) {
    const ext = extensionOf(name);
    name = ext && ext.length < 20 ? `${name.slice(0, MAX_NAME - ext.length - 1)}.${ext}` : name.slice(0, MAX_NAME);
  }
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) {
    const ext = extensionOf(name);
    const stem = ext ? name.slice(0, -(ext.length + 1)) : name;
    const suffix = ` (${n})${ext ? `.${ext}` : ""}`;
    candidate = `${stem.slice(0, MAX_NAME - suffix.length)}${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}
