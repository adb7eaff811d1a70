/** Static assets: embedded htmx, CSS and favicon, with their types and long caching. */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createTestConsole, type TestConsole } from "../support/web";

describe("static assets", () => {
  let t: TestConsole;
  beforeAll(async () => {
    t = await createTestConsole({ clients: {} });
  });
  afterAll(() => t.close());

  const get = (path: string) => t.app.handle(new Request(`http://localhost${path}`));

  describe("when htmx is asked for", () => {
    it("serves the embedded htmx 4 with a JavaScript content type and a year of caching", async () => {
      const res = await get("/static/htmx.min.js?v=0.0.0-test");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      const body = await res.text();
      expect(body).toContain("4.0.1");
      expect(body.length).toBeGreaterThan(10_000);
    });
  });

  describe("when the style sheet and the favicon are asked for", () => {
    it("serves them with their own content types", async () => {
      const css = await get("/static/style.css");
      expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
      expect(await css.text()).toContain("--brand");
      const icon = await get("/favicon.svg");
      expect(icon.headers.get("content-type")).toBe("image/svg+xml");
      expect(icon.headers.get("cache-control")).toContain("immutable");
      expect(await icon.text()).toStartWith("<svg");
    });
  });

  describe("when any response goes out", () => {
    it("carries the security headers, assets included", async () => {
      for (const path of ["/static/htmx.min.js", "/login", "/healthz", "/no-such-page"]) {
        const res = await get(path);
        const csp = res.headers.get("content-security-policy") ?? "";
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("style-src 'self'");
        expect(csp).not.toContain("unsafe-inline");
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        expect(res.headers.get("referrer-policy")).toBe("same-origin");
        expect(res.headers.get("x-frame-options")).toBe("DENY");
      }
    });
  });
});
