/**
 * Unpacks zip attachments in memory, with zip-bomb limits. Nothing touches the disk, so no temp
 * folder is ever shared between runs. Entry names come from strangers and are made safe.
 */
import { unzipSync } from "fflate";
import { UnrecoverableError, type Attachment } from "../../sdk/index";
import { extensionOf, fileAttachments, normaliseExtensions, safeAttachmentName } from "./attachments";

export interface UnzipOptions {
  /** Keep only entries with these extensions (`["xml", "xlsx"]`); all files when absent. */
  extensions?: readonly string[];
  /** Most bytes all entries of one zip may unpack to. Default 100 MB. */
  maxTotalBytes?: number;
  /** Most entries (files and folders) one zip may hold. Default 1000. */
  maxEntries?: number;
  /** Largest unpacked ÷ packed size of any entry. Default 200 (text compresses ~10×, a bomb ~1000×). */
  maxRatio?: number;
  /** Names already taken on the passenger, so unpacked files never overwrite them. */
  taken?: Set<string>;
}

export const UNZIP_DEFAULTS = { maxTotalBytes: 100 * 1024 * 1024, maxEntries: 1000, maxRatio: 200 };

const isZip = (a: Attachment): boolean =>
  extensionOf(a.name) === "zip" || ["application/zip", "application/x-zip-compressed"].includes((a.media_type ?? "").toLowerCase());

/**
 * The files inside every zip attachment, as new attachments (the zips themselves stay).
 * Throws UnrecoverableError when a zip breaks a limit or is not a zip: retrying cannot help,
 * so the entry waits for a person.
 *
 * @example
 * ```ts
 * passenger.attachments.push(...unzipAttachments(passenger.attachments, { extensions: ["xml"] }));
 * ```
 */
export function unzipAttachments(attachments: readonly Attachment[], options: UnzipOptions = {}): Attachment[] {
  const taken = options.taken ?? new Set(attachments.map((a) => a.name));
  const out: Attachment[] = [];
  for (const zip of fileAttachments(attachments).filter(isZip)) out.push(...unzipOne(zip, options, taken));
  return out;
}

function unzipOne(zip: Attachment, options: UnzipOptions, taken: Set<string>): Attachment[] {
  const limits = { ...UNZIP_DEFAULTS, ...definedOnly(options) };
  const wanted = options.extensions ? new Set(normaliseExtensions(options.extensions)) : null;
  const bytes = typeof zip.content === "string" ? new TextEncoder().encode(zip.content) : zip.content;
  let entries = 0;
  let total = 0;
  const refuse = (why: string): never => {
    throw new UnrecoverableError(`The zip attachment ${zip.name} was not unpacked: ${why}.`);
  };
  let files: Record<string, Uint8Array>;
  try {
    // The filter sees each entry's declared sizes before anything is inflated, and fflate inflates
    // into a buffer of exactly the declared size: a lying header cannot make it allocate more.
    files = unzipSync(bytes, {
      filter: (entry) => {
        if (++entries > limits.maxEntries) refuse(`it holds more than ${limits.maxEntries} entries (limit maxEntries)`);
        if (entry.name.endsWith("/")) return false;
        if (wanted && !wanted.has(extensionOf(entry.name))) return false;
        total += entry.originalSize;
        if (total > limits.maxTotalBytes) refuse(`it would unpack to more than ${limits.maxTotalBytes} bytes (limit maxTotalBytes)`);
        if (entry.originalSize > Math.max(entry.size, 1) * limits.maxRatio)
          refuse(`${JSON.stringify(entry.name)} is compressed more than ${limits.maxRatio} times, which only zip bombs are (limit maxRatio)`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof UnrecoverableError) throw e;
    return refuse(`it is not a readable zip file (${e instanceof Error ? e.message : String(e)})`);
  }
  return Object.entries(files).map(([name, content], i) => ({
    name: safeAttachmentName(name, `${zip.name}-entry-${i + 1}`, taken),
    content,
  }));
}

function definedOnly(o: UnzipOptions): Partial<typeof UNZIP_DEFAULTS> {
  const out: Partial<typeof UNZIP_DEFAULTS> = {};
  for (const key of Object.keys(UNZIP_DEFAULTS) as (keyof typeof UNZIP_DEFAULTS)[]) if (typeof o[key] === "number") out[key] = o[key];
  return out;
}
