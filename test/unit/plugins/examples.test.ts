import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import FolderPuller from "../../../src/drivers/files/puller-folder";
import ImapPuller from "../../../src/drivers/mail/puller-imap";
import { loadPlugins } from "../../../src/plugins/load";
import type { PluginRegistry } from "../../../src/plugins/registry";
import type { Passenger, Processor, Puller, Pusher, Report, ReportQuery } from "../../../src/sdk/index";
import { fakeContext } from "../drivers/fake-context";

const EXAMPLES = join(import.meta.dir, "../../../plugins/examples");

function make<T>(registry: PluginRegistry, name: string): T {
  const r = registry.get(name);
  if (r?.status !== "loaded") throw new Error(`${name} did not load: ${r?.status === "broken" ? r.error.message : "missing"}`);
  return new r.cls() as T;
}

describe("example plugins (plugins/examples)", () => {
  let home: string;
  let registry: PluginRegistry;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "databus-examples-"));
    await cp(EXAMPLES, join(home, "plugins/examples"), { recursive: true });
    registry = await loadPlugins(home);
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  describe("when loaded from a home", () => {
    it("loads all four with their kinds", () => {
      const kinds = ["document", "folder_puller", "stamp_processor", "folder_pusher"].map((n) => registry.get(`examples/${n}`));
      expect(kinds.map((r) => r?.status === "loaded" && r.kind)).toEqual(["passenger", "puller", "processor", "pusher"]);
    });

    it("loads the example report as a report", () => {
      expect(registry.reports().map((r) => r.name)).toEqual(["examples/deliveries_by_day"]);
    });
  });

  describe("when the examples that extend built-in drivers are loaded", () => {
    it("loads them as subclasses of the host's drivers and passengers", () => {
      const names = ["order_mail", "order_inbox", "scan", "scan_folder"].map((n) => `examples/${n}`);
      expect(names.map((n) => registry.get(n)).map((r) => r?.status === "loaded" && r.kind)).toEqual(["passenger", "puller", "passenger", "puller"]);
      expect(make<object>(registry, "examples/order_inbox")).toBeInstanceOf(ImapPuller);
      expect(make<object>(registry, "examples/scan_folder")).toBeInstanceOf(FolderPuller);
    });

    it("pulls PDFs as examples/scan passengers from the folder the config gives instead of the code's", async () => {
      await mkdir(join(home, "scanner"), { recursive: true });
      await writeFile(join(home, "scanner/s-1.pdf"), "%PDF-1.4");
      await writeFile(join(home, "scanner/note.txt"), "not a scan");
      const Scan = (registry.get("examples/scan") as { cls: new (...args: never[]) => unknown }).cls;
      const [scan, ...rest] = (await make<Puller>(registry, "examples/scan_folder").pull(fakeContext({ home, options: { folder: "scanner" } }))) as Passenger[];
      expect(rest).toHaveLength(0);
      expect(scan).toBeInstanceOf(Scan);
      expect(scan!.payload).toMatchObject({ path: "s-1.pdf", name: "s-1.pdf", size: 8 });
      expect(scan!.attachments.map((a) => a.name)).toEqual(["s-1.pdf"]);
    });
  });

  describe("when the inbox holds JSON files and a broken one", () => {
    it("pulls one passenger per good file, moves the bad one to error/, and moves seated files to done/", async () => {
      const inbox = join(home, "in");
      await mkdir(inbox, { recursive: true });
      await writeFile(join(inbox, "a.json"), `{"n": 1}`);
      await writeFile(join(inbox, "b.json"), `{"n": 2}`);
      await writeFile(join(inbox, "bad.json"), `{"n": `);
      await writeFile(join(inbox, "ignored.txt"), "not json");
      const ctx = fakeContext({ home, options: { inbox: "in" } });
      const puller = make<Puller>(registry, "examples/folder_puller");

      const peeked = (await puller.peek!(ctx)) as Passenger[];
      expect(peeked.map((p) => p.external_id)).toEqual(["a.json", "b.json"]);
      expect((await readdir(inbox)).sort()).toEqual(["a.json", "b.json", "bad.json", "ignored.txt"]);

      const pulled = (await puller.pull(ctx)) as Passenger[];
      expect(pulled.map((p) => [p.external_id, p.payload])).toEqual([["a.json", { n: 1 }], ["b.json", { n: 2 }]]);
      expect(await readdir(join(inbox, "error"))).toEqual(["bad.json"]);
      expect(ctx.lines.some((l) => l.level === "error" && l.message.includes("bad.json"))).toBe(true);

      await puller.notifySeated!(pulled, ctx);
      await puller.notifySeated!(pulled, ctx); // a repeated notify (after a crash) is harmless
      expect((await readdir(join(inbox, "done"))).sort()).toEqual(["a.json", "b.json"]);
      expect((await readdir(inbox)).sort()).toEqual(["done", "error", "ignored.txt"]);
    });
  });

  describe("when a document is stamped and pushed", () => {
    it("adds processed_at and writes <outbox>/<file-safe key>.json without temp files", async () => {
      const Document = (registry.get("examples/document") as { cls: new (init: unknown) => Passenger }).cls;
      const doc = new Document({ external_id: "a.json", payload: { n: 1 } }) as Passenger<Record<string, unknown>>;
      doc.id = "0190-abc";
      await make<Processor>(registry, "examples/stamp_processor").process(doc, fakeContext());
      expect(typeof doc.payload.processed_at).toBe("string");

      const ctx = fakeContext({ home, idempotencyKey: "0190-abc:examples/folder_pusher" });
      await make<Pusher>(registry, "examples/folder_pusher").push(doc, ctx);
      const outbox = join(home, "outbox");
      expect(await readdir(outbox)).toEqual(["0190-abc_examples_folder_pusher.json"]);
      const written = JSON.parse(await readFile(join(outbox, "0190-abc_examples_folder_pusher.json"), "utf8"));
      expect(written).toMatchObject({ id: "0190-abc", external_id: "a.json", payload: { n: 1 } });
    });
  });

  describe("when the example report runs over a queue", () => {
    it("counts each pusher's steps in the chosen state per day, sorted by day then pusher", async () => {
      const at = (day: string, h: number) => `2026-06-${day}T${String(h).padStart(2, "0")}:00:00.000Z`;
      const row = (day: string, pusher: string, state: "delivered" | "dead") => ({ at: at(day, 8), pusher, state });
      // The example only calls deliveries(); ReportQuery itself is tested over a real store (test/unit/sdk).
      const rows = [row("02", "b/push", "delivered"), row("02", "a/push", "delivered"), row("02", "a/push", "delivered"), row("03", "a/push", "dead")];
      const query = { deliveries: async () => rows } as unknown as ReportQuery;
      const report = make<Report<Record<string, unknown>>>(registry, "examples/deliveries_by_day");
      const period = { from: at("01", 0), to: at("08", 0) };
      const table = await report.run(query, { period, state: "delivered" }, { client: "demo", report: "examples/deliveries_by_day", now: at("07", 12), signal: new AbortController().signal });
      expect(table.columns.map((c) => c.label)).toEqual(["Day", "Pusher", "Delivered"]);
      expect(table.rows).toEqual([
        { day: "2026-06-02", pusher: "a/push", count: 2 },
        { day: "2026-06-02", pusher: "b/push", count: 1 },
      ]);
    });
  });
});
