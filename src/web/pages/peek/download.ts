/**
 * Streams one attachment of what a puller's peek returned, as a download: always
 * `Content-Disposition: attachment`, and active types (HTML, SVG, XML, scripts) sent as bytes so a
 * browser never renders stored markup from our origin.
 */
import { DatabusError } from "../../../core/errors";
import { guessMediaType, type Attachment } from "../../../core/passenger";
import type { PeekResult } from "../../../dispatcher/api";
import type { AttachmentRef } from "./query";

const ACTIVE = /html|svg|xml|javascript|ecmascript/i;

export function findPeekedAttachment(results: PeekResult[], ref: AttachmentRef): Attachment {
  const result = results.find((r) => r.puller === ref.puller);
  const passenger =
    result?.status === "ok" ? result.passengers.find((p) => p.external_id === ref.external_id && p.source_system === ref.source) : undefined;
  const attachment = passenger?.attachments.find((a) => a.name === ref.name);
  if (!attachment) throw new DatabusError("DBUS_WEB_PEEK_GONE", { definition: ref.definition, puller: ref.puller, name: ref.name });
  return attachment;
}

/** RFC 6266: an ASCII fallback name plus the exact name percent-encoded in `filename*`. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function downloadResponse(attachment: Attachment): Response {
  const declared = attachment.media_type || guessMediaType(attachment.name, attachment.content);
  const type = ACTIVE.test(declared) ? "application/octet-stream" : declared;
  const { content } = attachment;
  // A copy, typed as a plain ArrayBuffer view (what Response accepts); peek results are small.
  return new Response(typeof content === "string" ? content : new Uint8Array(content), {
    headers: { "content-type": type, "content-disposition": contentDisposition(attachment.name), "cache-control": "no-store" },
  });
}
