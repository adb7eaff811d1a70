/**
 * Static assets, embedded at build time (text imports), so the compiled binary needs no public/
 * folder. Links carry `?v=<version>`, which is why a year of caching is safe.
 */
import { Elysia } from "elysia";
import htmxJs from "htmx.org/dist/htmx.min.js" with { type: "text" };
import faviconSvg from "../../public/favicon.svg" with { type: "text" };
import styleCss from "../../public/style.css" with { type: "text" };

const LONG_CACHE = "public, max-age=31536000, immutable";

interface Asset {
  path: string;
  body: string;
  type: string;
}

const ASSETS: readonly Asset[] = [
  { path: "/static/htmx.min.js", body: htmxJs, type: "text/javascript; charset=utf-8" },
  { path: "/static/style.css", body: styleCss, type: "text/css; charset=utf-8" },
  { path: "/favicon.svg", body: faviconSvg, type: "image/svg+xml" },
];

/** Where a page links an asset: the path plus the version, so a new release is fetched afresh. */
export function assetUrl(path: "/static/htmx.min.js" | "/static/style.css" | "/favicon.svg", version: string): string {
  return `${path}?v=${encodeURIComponent(version)}`;
}

export function staticAssets() {
  const app = new Elysia();
  for (const asset of ASSETS) {
    app.get(asset.path, ({ set }) => {
      set.headers["content-type"] = asset.type;
      set.headers["cache-control"] = LONG_CACHE;
      return asset.body;
    });
  }
  return app;
}
