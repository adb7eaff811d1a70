import { afterAll, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import PollPuller from "../../../../src/drivers/http/puller-poll";
import { fakeContext } from "../fake-context";

const DRIVER = "databus/http/poll_puller";

/** A small paged API: `GET /items?since=<id>` answers up to 2 items with a greater id. */
describe("databus/http/poll_puller", () => {
  let server: ReturnType<typeof Bun.serve>;
  let items: Array<{ id: number; name: string }> = [];
  let requests: string[] = [];
  let headers: Headers[] = [];
  beforeAll(() => {
    server = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      fetch(req) {
        const url = new URL(req.url);
        requests.push(url.search);
        headers.push(req.headers);
        if (url.pathname === "/down") return new Response("maintenance", { status: 503 });
        if (url.pathname === "/all") return Response.json({ data: { items } });
        if (url.pathname === "/html") return new Response("<html>hello</html>");
        const since = Number(url.searchParams.get("since") ?? 0);
        const page = items.filter((i) => i.id > since).slice(0, 2);
        const after = Number(url.searchParams.get("after") ?? 0);
        if (url.pathname === "/pages") {
          const rest = items.filter((i) => i.id > after);
          return Response.json({ results: rest.slice(0, 2), next: rest.length > 2 ? rest[1]!.id : null });
        }
        return Response.json({ data: { items: page } });
      },
    });
  });
  afterAll(() => server.stop(true));
  beforeEach(() => {
    items = [1, 2, 3, 4, 5].map((id) => ({ id, name: `item ${id}` }));
    requests = [];
    headers = [];
  });

  const options = (extra: Record<string, unknown> = {}) => ({ url: `http://127.0.0.1:${server.port}/items`, items_path: "data.items", cursor_param: "since", ...extra });

  describe("when pulled on two runs with a cursor", () => {
    it("pages through everything first, then asks only for what is new", async () => {
      const ctx = fakeContext({ driver: DRIVER, options: options({ headers: { Authorization: "Bearer t0ken" } }) });
      const puller = new PollPuller();
      const first = await puller.pull(ctx);
      expect(first.map((p) => p.external_id)).toEqual(["1", "2", "3", "4", "5"]);
      expect(first[0]!.payload).toEqual({ id: 1, name: "item 1" });
      expect(first[0]!.source_system).toBe(`http://127.0.0.1:${server.port}/items`);
      expect(requests).toEqual(["", "?since=2", "?since=4", "?since=5"]);
      expect(headers[0]!.get("authorization")).toBe("Bearer t0ken");
      await puller.notifySeated(first, ctx);

      items.push({ id: 6, name: "item 6" }, { id: 7, name: "item 7" });
      requests = [];
      const second = await puller.pull(ctx);
      expect(second.map((p) => p.external_id)).toEqual(["6", "7"]);
      expect(requests[0]).toBe("?since=5");
      expect(JSON.stringify(ctx.lines)).not.toContain("t0ken");
    });

    it("starts again from the old cursor when the items were never seated (no notify)", async () => {
      const ctx = fakeContext({ driver: DRIVER, options: options({ max_pages: 1 }) });
      const puller = new PollPuller();
      expect((await puller.pull(ctx)).map((p) => p.external_id)).toEqual(["1", "2"]);
      expect((await puller.pull(ctx)).map((p) => p.external_id)).toEqual(["1", "2"]);
      await puller.notifySeated([], ctx);
      expect((await puller.pull(ctx)).map((p) => p.external_id)).toEqual(["3", "4"]);
    });

    it("follows a next cursor the answer hands out", async () => {
      const ctx = fakeContext({ driver: DRIVER, options: { url: `http://127.0.0.1:${server.port}/pages`, items_path: "results", cursor_param: "after", next_cursor_path: "next" } });
      expect((await new PollPuller().pull(ctx)).map((p) => p.external_id)).toEqual(["1", "2", "3", "4", "5"]);
      expect(requests).toEqual(["", "?after=2", "?after=4"]);
    });
  });

  describe("when peeked", () => {
    it("shows the first page from the saved cursor and saves nothing", async () => {
      const ctx = fakeContext({ driver: DRIVER, options: options() });
      const puller = new PollPuller();
      expect((await puller.peek(ctx)).map((p) => p.external_id)).toEqual(["1", "2"]);
      expect((await puller.pull(ctx)).map((p) => p.external_id)).toEqual(["1", "2", "3", "4", "5"]);
    });
  });

  describe("when the API or the options are wrong", () => {
    it("names the status and the start of the answer", async () => {
      const ctx = fakeContext({ driver: DRIVER, options: { url: `http://127.0.0.1:${server.port}/down?key=abc` } });
      await expect(new PollPuller().pull(ctx)).rejects.toThrow(`${DRIVER}: http://127.0.0.1:${server.port}/down answered HTTP 503: maintenance.`);
    });

    it("says when the answer is not JSON, or has no list where items_path points", async () => {
      await expect(new PollPuller().pull(fakeContext({ driver: DRIVER, options: { url: `http://127.0.0.1:${server.port}/html` } }))).rejects.toThrow(
        'did not answer JSON (it began with "<html>hello</html>")',
      );
      await expect(new PollPuller().pull(fakeContext({ driver: DRIVER, options: options({ items_path: "data.nope" }) }))).rejects.toThrow(
        'has no list at items_path "data.nope"',
      );
    });

    it("leaves out items without an id, with an error in the log", async () => {
      items = [{ id: 1, name: "a" }, { name: "no id" } as never];
      const ctx = fakeContext({ driver: DRIVER, options: { url: `http://127.0.0.1:${server.port}/all`, items_path: "data.items" } });
      expect((await new PollPuller().pull(ctx)).map((p) => p.external_id)).toEqual(["1"]);
      expect(ctx.lines).toContainEqual({ level: "error", message: expect.stringContaining('has no id at "id"') });
    });
  });
});
