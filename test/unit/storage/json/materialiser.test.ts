/** The worker thread that writes the json store's files (materialise-worker.ts), through its client. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ApplyFailure } from "../../../../src/storage/json/apply-order";
import { inThread, workerMaterialiser } from "../../../../src/storage/json/materialiser";
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
});
