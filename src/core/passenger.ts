/** Passenger and Attachment records, and the rules for attachment names. Pure. */

export interface Attachment {
  name: string;
  /** Text or bytes. Text is stored as UTF-8. */
  content: string | Uint8Array;
  media_type?: string;
}

/** What lists and pages see of an attachment without loading it. */
export interface AttachmentInfo {
  name: string;
  media_type: string;
  size: number;
  /** True when the content was given as text. */
  text: boolean;
}

/** A passenger as the queue stores it. */
export interface PassengerRecord {
  id: string;
  /** The passenger type, which is also the name of its passenger definition. */
  type: string;
  external_id: string;
  source_system: string;
  pulled_at: string;
  /** The puller that pulled it (and is notified once it is seated). */
  puller: string;
  payload: unknown;
  log_ids: string[];
}

/** A passenger with its attachment contents, as pullers produce and processors change it. */
export interface PassengerData extends PassengerRecord {
  attachments: Attachment[];
}

const BAD_NAME = /[\/\\\0]|^\.{1,2}$/;

/** Attachment names become file names: no separators, no `.`/`..`, no control characters, ≤ 200 chars. */
export function attachmentNameProblem(name: unknown): string | null {
  if (typeof name !== "string" || name.length === 0) return "has no name";
  if (name.length > 200) return `has a name longer than 200 characters`;
  // biome-ignore lint: control characters are exactly what we reject
  if (BAD_NAME.test(name) || /[\x00-\x1f]/.test(name)) return `has the name ${JSON.stringify(name)}, which may not contain / or \\ or be . or ..`;
  return null;
}

export function guessMediaType(name: string, content: string | Uint8Array): string {
  const ext = name.toLowerCase().split(".").pop() ?? "";
  const known: Record<string, string> = {
    txt: "text/plain", json: "application/json", xml: "application/xml", csv: "text/csv",
    html: "text/html", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", pdf: "application/pdf",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", zip: "application/zip",
  };
  return known[ext] ?? (typeof content === "string" ? "text/plain" : "application/octet-stream");
}

export const byteLength = (c: string | Uint8Array): number =>
  typeof c === "string" ? new TextEncoder().encode(c).byteLength : c.byteLength;

/** True when two attachment contents are the same text, or the same bytes. */
export function sameContent(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
