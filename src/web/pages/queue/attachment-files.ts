/**
 * Attachments leaving the console: downloads always as `attachment` with a safe file name, a media
 * type that cannot carry header tricks, nosniff and a sandboxing CSP, so stored HTML never runs here;
 * and the short text previews the entry page shows.
 */
import { DatabusError } from "../../../core/errors";
import { attachmentNameProblem, type Attachment } from "../../../core/passenger";
import type { QueueEntry } from "../../../core/queue-entry";
import type { Database } from "../../../storage/database";
import type { AttachmentView } from "./attachments";
import type { EntryRef } from "./entry-params";

/** Text larger than this is not read for a preview; the page offers the download instead. */
const PREVIEW_MAX_BYTES = 1024 * 1024;
export const PREVIEW_CHARS = 10_000;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;
const TEXTUAL = /^text\/|[/+](json|xml|csv)$/i;
/** Types a browser would run as a document; sent as plain bytes instead, whatever was stored. */
const ACTIVE = /html|xml|svg|javascript|ecmascript/i;

/** `attachment; filename="…"` with an ASCII fallback and the exact name in RFC 5987 form. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._ ()-]/g, "_").replace(/^[ .]+/, "").slice(0, 150) || "attachment";
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

export function downloadResponse(attachment: Attachment): Response {
  const stored = attachment.media_type ?? "";
  const type = MEDIA_TYPE.test(stored) && !ACTIVE.test(stored) ? stored : "application/octet-stream";
  const bytes = typeof attachment.content === "string" ? new TextEncoder().encode(attachment.content) : attachment.content;
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>]);
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": type,
      "content-disposition": contentDisposition(attachment.name),
      "x-content-type-options": "nosniff",
      // Even if a browser ignored the disposition, the document could run nothing and reach nothing.
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "no-store",
    },
  });
}

/** The attachment named in the URL, or DBUS_WEB_NOT_FOUND (the name is checked before any lookup). */
export async function loadAttachment(db: Database, ref: EntryRef, name: string, path: string): Promise<Attachment> {
  const found = attachmentNameProblem(name) ? undefined : await db.readAttachment(ref.client, ref.id, name);
  if (!found) throw new DatabusError("DBUS_WEB_NOT_FOUND", { path });
  return found;
}

/** The entry page's attachment list: textual ones of a readable size get a preview. */
export async function attachmentViews(db: Database, ref: EntryRef, entry: QueueEntry): Promise<AttachmentView[]> {
  return Promise.all(
    entry.attachments.map(async (info) => {
      if (!(info.text || TEXTUAL.test(info.media_type)) || info.size > PREVIEW_MAX_BYTES) return { info, preview: null, truncated: false };
      const a = await db.readAttachment(ref.client, ref.id, info.name);
      if (!a) return { info, preview: null, truncated: false };
      const text = typeof a.content === "string" ? a.content : new TextDecoder().decode(a.content);
      return { info, preview: text.slice(0, PREVIEW_CHARS), truncated: text.length > PREVIEW_CHARS };
    }),
  );
}
