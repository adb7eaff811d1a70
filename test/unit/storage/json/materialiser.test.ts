/** The worker thread that writes the json store's files (materialise-worker.ts), through its client. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ApplyFailure } from "../../../../src/storage/json/apply-order";
import { inThread, SplitMaterialiser, workerMaterialiser, type Materialiser } from "../../../../src/storage/json/materialiser";
import { Binary } from "../../../../src/storage/json/journal-ops";
import type { ApplyTask } from "../../../../src/storage/json/apply-order";
import { WRITER_NICENESS } from "../../../../src/storage/json/thread-priority";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe("materialisers", () => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-materialiser-");
    await mkdir(home.dataDir, { recursive: true });
  });
  afterEach(() => home.cleanup());

  for (const [name, m] of [["the worker thread", workerMaterialiser()], ["the calling thread", inThread]] as const) {
    describe(name, () => {
      it("writes the files and reports every path written", async () => {
        const dirty = new Set<string>();
        await m.apply(home.dataDir, [{ key: "q/e", ops: [{ op: "folder", path: "q/e", files: [{ name: "p.json", text: "{}" }, { name: "attachments/b.bin", base64: "AQI=" }] }] }], dirty);
        expect(await readFile(join(home.dataDir, "q/e/p.json"), "utf8")).toBe("{}");
        expect(new Uint8Array(await readFile(join(home.dataDir, "q/e/attachments/b.bin")))).toEqual(new Uint8Array([1, 2]));
        expect(dirty.has(join(home.dataDir, "q/e/p.json"))).toBe(true);
      });

      it("writes a value (a json op) as indented JSON", async () => {
        await m.apply(home.dataDir, [{ key: "s.json", ops: [{ op: "write", path: "s.json", json: { steps: [{ state: "done" }] } }] }], new Set());
        expect(await readFile(join(home.dataDir, "s.json"), "utf8")).toBe(`${JSON.stringify({ steps: [{ state: "done" }] }, null, 2)}\n`);
      });

      it("deletes its spare temps when told (a store closing), not only after a while without writes", async () => {
        const path = "clients/c/queue/e1/status.json";
        const rewrites = Array.from({ length: 6 }, (_, n) => ({ key: path, ops: [{ op: "write" as const, path, text: `v${n}` }] }));
        const temps = () => readdirSync(join(home.dataDir, "clients/c/queue")).filter((n) => n.startsWith(".tmp-"));
        await m.apply(home.dataDir, rewrites, new Set());
        expect(temps().length).toBeGreaterThan(0); // kept for the next drain
        await m.clearSpares!();
        expect(temps()).toEqual([]);
        expect(await readFile(join(home.dataDir, path), "utf8")).toBe("v5");
      });

      it("rejects with ApplyFailure carrying the path and the OS error code", async () => {
        await writeFile(join(home.dataDir, "blocked"), "a file");
        const error = await m.apply(home.dataDir, [{ key: "k", ops: [{ op: "write", path: "blocked/a.json", text: "1" }] }], new Set()).catch((e) => e);
        expect(error).toBeInstanceOf(ApplyFailure);
        expect((error as ApplyFailure).path).toBe("blocked/a.json");
        expect(((error as ApplyFailure).reason as { code?: string }).code).toBe("ENOTDIR");
      });
    });
  }

  it("serves several requests at once, each answered with its own paths", async () => {
    const m = workerMaterialiser();
    const sets = [new Set<string>(), new Set<string>(), new Set<string>()];
    await Promise.all(sets.map((dirty, n) => m.apply(home.dataDir, [{ key: `f${n}`, ops: [{ op: "write", path: `f${n}.json`, text: String(n) }] }], dirty)));
    sets.forEach((dirty, n) => expect([...dirty]).toContain(join(home.dataDir, `f${n}.json`)));
  });

  it("runs the writer thread at a lower priority than the dispatcher's (Linux niceness)", async () => {
    await workerMaterialiser().apply(home.dataDir, [{ key: "n.json", ops: [{ op: "write", path: "n.json", text: "1" }] }], new Set());
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's niceness.
    const nice = (tid: string) => Number(readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]);
    const threads = readdirSync("/proc/self/task");
    expect(threads.some((tid) => readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim() === "Worker" && nice(tid) === WRITER_NICENESS)).toBe(true);
    expect(nice(String(process.pid))).toBe(0);
  });

  describe("when a drain is split between writer threads", () => {
    /** A materialiser that records the tasks it was given, and fails when told to. */
    const recording = (fail = false) => {
      const got: ApplyTask[] = [];
      const m: Materialiser = {
        apply: async (_dataDir, tasks) => {
          await Bun.sleep(1);
          got.push(...tasks);
          if (fail) throw new ApplyFailure(tasks[0]!.ops[0]!.path, new Error("disk full"));
        },
      };
      return { got, m };
    };
    // Two tasks per entry, in order: the second must follow the first in the same thread.
    const drain = (entries: number): ApplyTask[] =>
      Array.from({ length: entries }, (_, n) => [1, 2].map((step) => ({ key: `q/e${n}`, ops: [{ op: "write" as const, path: `q/e${n}/s.json`, text: String(step) }] }))).flat();

    it("gives each thread a share of the entries when the files have fallen behind, an entry's tasks in one thread and in order", async () => {
      const [a, b] = [recording(), recording()];
      const tasks = drain(100);
      await new SplitMaterialiser([a.m, b.m]).apply("/d", tasks, new Set(), true);
      expect(a.got.length).toBeGreaterThan(40);
      expect(b.got.length).toBeGreaterThan(40);
      expect(a.got.length + b.got.length).toBe(tasks.length);
      for (const got of [a.got, b.got]) {
        const keys = new Set(got.map((t) => t.key));
        for (const key of keys) expect(got.filter((t) => t.key === key).map((t) => (t.ops[0] as { text: string }).text)).toEqual(["1", "2"]);
        expect([...keys].some((k) => (got === a.got ? b.got : a.got).some((t) => t.key === k))).toBe(false);
      }
    });

    it("gives the first thread the whole drain when it is not behind, small, holds bytes, or has a task above entry level", async () => {
      const bytes = { key: "q/x", ops: [{ op: "write" as const, path: "q/x/a.bin", base64: new Binary(Uint8Array.from([1])) }] };
      const keyless = { key: undefined, ops: [{ op: "remove" as const, path: "clients/gone" }] };
      const cases: Array<[ApplyTask[], boolean]> = [
        [drain(100), false],
        [drain(10), true],
        [[...drain(100), bytes], true],
        [[...drain(100), keyless], true],
      ];
      for (const [tasks, behind] of cases) {
        const [a, b] = [recording(), recording()];
        await new SplitMaterialiser([a.m, b.m]).apply("/d", tasks, new Set(), behind);
        expect(a.got).toEqual(tasks);
        expect(b.got).toEqual([]);
      }
    });

    it("fails the drain when one share fails, once the other share is written", async () => {
      const [a, b] = [recording(), recording(true)];
      const error = await new SplitMaterialiser([a.m, b.m]).apply("/d", drain(100), new Set(), true).catch((e) => e);
      expect(error).toBeInstanceOf(ApplyFailure);
      expect(a.got.length).toBeGreaterThan(0);
    });

    it("writes every entry's files with the real writer threads", async () => {
      const dirty = new Set<string>();
      const tasks = Array.from({ length: 100 }, (_, n) => ({ key: `q/e${n}`, ops: [{ op: "folder" as const, path: `q/e${n}`, files: [{ name: "s.json", text: String(n) }] }] }));
      await workerMaterialiser().apply(home.dataDir, tasks, dirty, true);
      for (const n of [0, 37, 99]) expect(await readFile(join(home.dataDir, `q/e${n}/s.json`), "utf8")).toBe(String(n));
      expect(dirty.has(join(home.dataDir, "q/e99/s.json"))).toBe(true);
    });
  });
});
