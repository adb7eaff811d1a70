/** Downloads of linked files against a real local HTTP server (loopback, so a private target). */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { downloadLinkedFiles, isPrivateAddress, linksOf } from "../../../../src/drivers/mail/linked-files";

let server: ReturnType<typeof Bun.serve>;
let base: string;
beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/files/invoice.pdf") return new Response(new Uint8Array([37, 80, 68, 70]), { headers: { "content-type": "application/pdf" } });
      if (path === "/files/named.xlsx") return new Response("x", { headers: { "content-disposition": 'attachment; filename="stock 2026.xlsx"' } });
      if (path === "/files/huge.pdf") return new Response(new Uint8Array(2048));
      if (path === "/files/slow.pdf") return new Promise<Response>((r) => setTimeout(() => r(new Response("late")), 3000));
      if (path === "/files/moved.pdf") return Response.redirect("/files/invoice.pdf", 302);
      return new Response("not here", { status: 404 });
    },
  });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server?.stop(true));

const html = (...paths: string[]) => paths.map((p) => `<a href="${base}${p}">link</a>`).join(" ");

describe("downloadLinkedFiles", () => {
  describe("when the link points at a private-network address", () => {
    it("refuses it unless allowPrivateNetworks is set", async () => {
      const result = await downloadLinkedFiles(html("/files/invoice.pdf"));
      expect(result.files).toEqual([]);
      expect(result.skipped).toEqual([{ url: `${base}/files/invoice.pdf`, reason: "127.0.0.1 is a private-network address (127.0.0.1); set allowPrivateNetworks to fetch from it" }]);
    });
  });

  describe("when private targets are allowed", () => {
    const allow = { allowPrivateNetworks: true };

    it("downloads the wanted extensions only, named from the header or the path, with their media type", async () => {
      const page = `${html("/files/invoice.pdf", "/files/named.xlsx", "/files/ignored.txt")} <a href='mailto:x@y'>m</a> <a href="/relative.pdf">r</a>`;
      const { files, skipped } = await downloadLinkedFiles(page, { ...allow, extensions: ["pdf", "xlsx"] });
      expect(skipped).toEqual([]);
      expect(files.map((f) => [f.name, f.media_type])).toEqual([["invoice.pdf", "application/pdf"], ["stock 2026.xlsx", "text/plain"]]);
      expect([...(files[0]!.content as Uint8Array)]).toEqual([37, 80, 68, 70]);
    });

    it("follows redirects", async () => {
      const { files } = await downloadLinkedFiles(html("/files/moved.pdf"), allow);
      expect(files.map((f) => f.name)).toEqual(["invoice.pdf"]);
    });

    it("skips a file over maxBytes", async () => {
      const { files, skipped } = await downloadLinkedFiles(html("/files/huge.pdf"), { ...allow, maxBytes: 1024 });
      expect(files).toEqual([]);
      expect(skipped[0]!.reason).toBe("larger than 1024 bytes (limit maxBytes)");
    });

    it("fails (to be retried) on a timeout and on an HTTP error", async () => {
      await expect(downloadLinkedFiles(html("/files/slow.pdf"), { ...allow, timeoutMs: 300 })).rejects.toThrow(`Downloading ${base}/files/slow.pdf failed: no answer within 0.3 s.`);
      await expect(downloadLinkedFiles(html("/files/gone.pdf"), allow)).rejects.toThrow("the server answered HTTP 404");
    });

    it("follows at most maxFiles links", async () => {
      const { files, skipped } = await downloadLinkedFiles(html("/files/invoice.pdf", "/files/moved.pdf"), { ...allow, maxFiles: 1 });
      expect(files).toHaveLength(1);
      expect(skipped.map((s) => s.reason)).toEqual(["more than 1 links (limit maxFiles)"]);
    });
  });

  it("reads quoted, unquoted and entity-encoded hrefs once each", () => {
    const urls = linksOf(`<a href="https://a.test/x?a=1&amp;b=2">1</a><a href=https://a.test/y>2</a><a HREF='https://a.test/y'>3</a><a href="ftp://a.test/z">4</a>`);
    expect(urls.map((u) => u.href)).toEqual(["https://a.test/x?a=1&b=2", "https://a.test/y"]);
  });

  it("knows the private and reserved ranges", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1"])
      expect(isPrivateAddress(a)).toBe(true);
    for (const a of ["93.184.216.34", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"]) expect(isPrivateAddress(a)).toBe(false);
  });
});
