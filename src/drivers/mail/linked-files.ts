/**
 * Downloads the files a mail's HTML body links to (invoices "available at https://…"), with an
 * extension filter, a timeout, a size limit, and no private-network targets unless allowed, so a
 * mail from a stranger cannot make Databus fetch from the machines around it.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { Attachment } from "../../sdk/index";
import { extensionOf, normaliseExtensions, safeAttachmentName } from "./attachments";

export interface LinkedFileOptions {
  /** Only links whose path ends in one of these (`["pdf", "xlsx"]`); every http(s) link when absent. */
  extensions?: readonly string[];
  /** Per download, connection to last byte. Default 30 s. */
  timeoutMs?: number;
  /** Largest file accepted. Default 25 MB. */
  maxBytes?: number;
  /** Most links followed per mail. Default 20. */
  maxFiles?: number;
  /** Allow loopback, private, link-local and similar addresses (an intranet file server). Default false. */
  allowPrivateNetworks?: boolean;
  /** Pass the step's `ctx.signal`, so a timed-out step stops downloading. */
  signal?: AbortSignal;
  /** Names already taken on the passenger. */
  taken?: Set<string>;
}

export interface LinkedFiles {
  files: Attachment[];
  /** Links not downloaded and why (private target, too large, too many); retrying would not help. */
  skipped: { url: string; reason: string }[];
}

export const LINK_DEFAULTS = { timeoutMs: 30_000, maxBytes: 25 * 1024 * 1024, maxFiles: 20 };
const MAX_REDIRECTS = 5;

class Refused extends Error {}

/**
 * Downloads every wanted link of `html`. Refusals are returned in `skipped`; a network error, a
 * timeout or an HTTP error status throws, so the processor is retried later.
 */
export async function downloadLinkedFiles(html: string, options: LinkedFileOptions = {}): Promise<LinkedFiles> {
  const o = { ...LINK_DEFAULTS, ...options };
  const wanted = o.extensions ? new Set(normaliseExtensions(o.extensions)) : null;
  const urls = linksOf(html).filter((u) => !wanted || wanted.has(extensionOf(safeDecode(u.pathname))));
  const taken = o.taken ?? new Set<string>();
  const result: LinkedFiles = { files: [], skipped: [] };
  for (const [i, url] of urls.entries()) {
    if (i >= o.maxFiles) {
      result.skipped.push({ url: url.href, reason: `more than ${o.maxFiles} links (limit maxFiles)` });
      continue;
    }
    try {
      const { bytes, name, mediaType } = await download(url, o);
      result.files.push({ name: safeAttachmentName(name, `download-${i + 1}`, taken), content: bytes, media_type: mediaType });
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      result.skipped.push({ url: url.href, reason: e.message });
    }
  }
  return result;
}

/** The distinct http(s) URLs in `href` attributes, in order. */
export function linksOf(html: string): URL[] {
  const seen = new Set<string>();
  const out: URL[] = [];
  for (const m of html.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/gi)) {
    const raw = decodeEntities((m[1] ?? m[2] ?? m[3] ?? "").trim());
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      continue; // relative or broken links lead nowhere from a mail
    }
    if ((url.protocol === "http:" || url.protocol === "https:") && !seen.has(url.href)) {
      seen.add(url.href);
      out.push(url);
    }
  }
  return out;
}

async function download(start: URL, o: typeof LINK_DEFAULTS & LinkedFileOptions): Promise<{ bytes: Uint8Array; name: string; mediaType?: string }> {
  const signal = o.signal ? AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]) : AbortSignal.timeout(o.timeoutMs);
  let url = start;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    // Every hop is checked: a public link may redirect to an internal address. (The name is looked
    // up again by fetch; a resolver that answers differently within milliseconds is not covered.)
    if (!o.allowPrivateNetworks) await refusePrivate(url);
    const res = await fetch(url, { redirect: "manual", signal }).catch((e) => {
      throw new Error(`Downloading ${url.href} failed: ${signal.aborted ? `no answer within ${o.timeoutMs / 1000} s` : (e as Error).message}.`);
    });
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`Downloading ${url.href} failed: the server answered HTTP ${res.status}.`);
    }
    const bytes = await readLimited(res, o.maxBytes, url);
    const mediaType = res.headers.get("content-type")?.split(";")[0]?.trim() || undefined;
    return { bytes, name: fileNameOf(res, url), mediaType };
  }
  throw new Refused(`more than ${MAX_REDIRECTS} redirects`);
}

async function readLimited(res: Response, maxBytes: number, url: URL): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length") ?? "NaN");
  const tooLarge = () => new Refused(`larger than ${maxBytes} bytes (limit maxBytes)`);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof Refused) throw e;
    throw new Error(`Downloading ${url.href} failed while reading: ${(e as Error).message}.`);
  }
  return Buffer.concat(chunks);
}

function fileNameOf(res: Response, url: URL): string {
  const cd = res.headers.get("content-disposition") ?? "";
  const star = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(cd);
  if (star) return safeDecode(star[1]!.trim());
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(cd);
  if (plain) return plain[1]!.trim();
  return safeDecode(url.pathname.split("/").pop() ?? "");
}

async function refusePrivate(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch((e) => {
    throw new Error(`Downloading ${url.href} failed: the name ${host} cannot be resolved (${(e as Error).message}).`);
  })).map((a) => a.address);
  const inner = addresses.find(isPrivateAddress);
  if (inner) throw new Refused(`${host} is a private-network address (${inner}); set allowPrivateNetworks to fetch from it`);
}

/** Loopback, private, link-local, carrier-grade NAT, multicast, unspecified and reserved ranges. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split(".").map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 192 && b === 0) || (a === 198 && (b === 18 || b === 19));
  }
  const v6 = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isPrivateAddress(mapped[1]!);
  return v6 === "::" || v6 === "::1" || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith("ff");
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a stray % in a name is still a usable name
  }
}
