/**
 * Every htmx header literal lives here: which requests want a fragment, how a redirect reaches htmx,
 * and the Vary that keeps caches from mixing pages and fragments. Nothing else writes an `HX-*` name.
 */

const REQUEST_TYPE = "HX-Request-Type";
const REQUEST = "HX-Request";

/**
 * True when htmx asks for a fragment (htmx 4 sends `HX-Request-Type: partial` unless it targets the
 * whole body). History restores and body swaps say `full`, so they still get a whole page.
 */
export function isPartial(request: Request): boolean {
  return request.headers.get(REQUEST_TYPE) === "partial";
}

/** True for any request htmx made; these cannot follow a 3xx (fetch would swap the target page in). */
export function isHtmx(request: Request): boolean {
  return request.headers.get(REQUEST) === "true";
}

type Headers = Record<string, string | number>;

/** Responses that depend on the request type say so, so a cache never serves a fragment as a page. */
export function varyOnRequestType(headers: Headers): void {
  const current = headers["vary"];
  headers["vary"] = current ? `${current}, ${REQUEST_TYPE}` : REQUEST_TYPE;
}

/**
 * After a POST: a 303 for plain forms, or an htmx navigation (`HX-Location`, an ajax GET that keeps
 * the page) for htmx requests. `hard` asks htmx for a full browser load instead (`HX-Redirect`), used
 * when the session changes, so the header and its CSRF token are rendered afresh.
 */
export function redirect(request: Request, url: string, options: { hard?: boolean } = {}): Response {
  if (isHtmx(request)) {
    const header = options.hard ? "HX-Redirect" : "HX-Location";
    return new Response(null, { status: 200, headers: { [header]: url } });
  }
  return new Response(null, { status: 303, headers: { location: url } });
}

/** Headers that send an error fragment to the page's alert area, whatever element asked. */
export function retargetToAlerts(headers: Headers, selector: string): void {
  headers["HX-Retarget"] = selector;
  headers["HX-Reswap"] = "innerHTML";
}

/** The header htmx sends for an hx-post, so htmx posts can carry the CSRF token without a form. */
export const CSRF_HEADER = "X-CSRF-Token";
