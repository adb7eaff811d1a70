/**
 * HTTP work the http drivers share: reading the url and secret options, sending with the step's
 * abort signal, and saying what went wrong without leaking secrets (URLs are shown without their
 * query string and credentials; header values and signing secrets are never shown).
 */
import type { StepContext } from "../../sdk/index";
import type { DriverOptions } from "../shared/options";

/** The `url` option, checked to be http(s). */
export function urlOption(o: DriverOptions, key = "url"): URL {
  const text = o.text(key);
  let url: URL;
  try {
    url = new URL(text);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    throw o.problem(key, "must be a full address such as https://example.com/hook"); // not echoed: it may hold a token
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw o.problem(key, "must start with http:// or https://");
  return url;
}

/** What logs and errors show of a URL: scheme, host and path, never credentials or the query string. */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** `headers` from the options, then `headers_file` (a JSON object in the client's files) on top. */
export async function headersOption(o: DriverOptions, ctx: StepContext): Promise<Record<string, string>> {
  const headers = o.textRecord("headers");
  const file = o.text("headers_file", "");
  if (file === "") return headers;
  const fromFile = await ctx.files.readJson<unknown>(file);
  if (typeof fromFile !== "object" || fromFile === null || Array.isArray(fromFile) || Object.values(fromFile).some((v) => typeof v !== "string"))
    throw o.problem("headers_file", `names ${file}, which must hold a JSON object whose values are texts`);
  return { ...headers, ...(fromFile as Record<string, string>) };
}

/** `secret`, or the first line of the client file named by `secret_file`; "" when neither is set. */
export async function secretOption(o: DriverOptions, ctx: StepContext): Promise<string> {
  const file = o.text("secret_file", "");
  if (file !== "") return (await ctx.files.read(file)).split(/\r?\n/)[0]!.trim();
  return o.text("secret", "");
}

/**
 * fetch with the step's signal and no redirects followed (a POST must not silently turn into a
 * GET elsewhere). A request that never got an answer becomes one sentence naming the address.
 */
export async function send(ctx: StepContext, url: URL, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: ctx.signal, redirect: "manual" });
  } catch (e) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? e; // the step runner's timeout or shutdown says it best
    throw new Error(`${ctx.driver}: could not reach ${shownUrl(url)} (${(e as Error).message}); Databus will try again.`);
  }
}

/** The first characters of a response body, on one line, for error messages. */
export async function bodySnippet(res: Response, max = 200): Promise<string> {
  const text = (await res.text().catch((e: Error) => `(the body could not be read: ${e.message})`)).replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** 408, 429 and 5xx may pass by themselves; other 4xx will not, whatever the number of attempts. */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;
