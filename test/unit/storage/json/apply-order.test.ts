import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ApplyFailure, applyTasks, clearSpares, decodeTasks, encodeTasks, SPARE_IDLE_MS } from "../../../../src/storage/json/apply-order";
import { blockingCalls, promiseCalls } from "../../../../src/storage/json/file-calls";
import { JsonText } from "../../../../src/storage/json/journal-ops";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe.each([
  ["promise-based calls", promiseCalls],
  ["blocking calls (the writer thread)", blockingCalls],
] as const)("applyTasks with %s", (_name, fs) => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-apply-");
    await mkdir(home.dataDir, { recursive: true });
  });
  afterEach(async () => {
    await clearSpares();
    await home.cleanup();
  });

  it("keeps the order within one unit, so the last write of a file wins", async () => {
    const dirty = new Set<string>();
    const tasks = Array.from({ length: 30 }, (_, n) => ({ key: "q/e", ops: [{ op: "write" as const, path: "q/e/s.json", text: String(n) }] }));
    await applyTasks(home.dataDir, tasks, dirty, fs, 4);
    expect(await readFile(join(home.dataDir, "q/e/s.json"), "utf8")).toBe("29");
    expect(dirty.has(join(home.dataDir, "q/e/s.json"))).toBe(true);
  });

  it("runs a task without a key after everything before it", async () => {
    const tasks = [
      { key: "a", ops: [{ op: "write" as const, path: "c/a/x.json", text: "1" }] },
      { key: undefined, ops: [{ op: "remove" as const, path: "c/a" }] },
      { key: "b", ops: [{ op: "write" as const, path: "c/b/y.json", text: "2" }] },
    ];
    await applyTasks(home.dataDir, tasks, new Set(), fs);
    expect(await Bun.file(join(home.dataDir, "c/a/x.json")).exists()).toBe(false);
    expect(await readFile(join(home.dataDir, "c/b/y.json"), "utf8")).toBe("2");
  });

  it("throws ApplyFailure naming the file and keeping the OS error, after the other units finished", async () => {
    await writeFile(join(home.dataDir, "blocked"), "a file");
    const tasks = [
      { key: "x", ops: [{ op: "write" as const, path: "blocked/a.json", text: "1" }] },
      { key: "y", ops: [{ op: "write" as const, path: "fine/b.json", text: "2" }] },
    ];
    const error = await applyTasks(home.dataDir, tasks, new Set(), fs).catch((e) => e);
    expect(error).toBeInstanceOf(ApplyFailure);
    expect((error as ApplyFailure).path).toBe("blocked/a.json");
    expect(((error as ApplyFailure).reason as NodeJS.ErrnoException).code).toBe("ENOTDIR");
    expect(await readFile(join(home.dataDir, "fine/b.json"), "utf8")).toBe("2");
  });

  it("keeps a few spare temps between drains and deletes them once the writes stop", async () => {
    const files = ["e1", "e2", "e3"].map((e) => `clients/c/queue/${e}/status.json`);
    const rewrites = (from: number) =>
      Array.from({ length: 30 }, (_, n) => {
        const path = files[n % 3]!;
        return { key: path, ops: [{ op: "write" as const, path, text: `v${from + n}` }] };
      });
    const temps = async () => (await readdir(join(home.dataDir, "clients/c/queue"))).filter((n) => n.startsWith("."));
    await applyTasks(home.dataDir, rewrites(0), new Set(), fs, 2);
    await applyTasks(home.dataDir, rewrites(30), new Set(), fs, 2);
    expect(await Promise.all(files.map((f) => readFile(join(home.dataDir, f), "utf8")))).toEqual(["v57", "v58", "v59"]);
    // At most one spare per write in flight, reused by the second drain instead of new ones.
    const kept = await temps();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(2);
    await Bun.sleep(SPARE_IDLE_MS + 300);
    expect(await temps()).toEqual([]);
  });

  it("writes into a folder whose spare went away with it (a client deleted between two writes)", async () => {
    const path = (c: string) => `clients/${c}/queue/e1/status.json`;
    const tasks = [
      { key: path("c"), ops: [{ op: "write" as const, path: path("c"), text: "1" }] },
      { key: path("c"), ops: [{ op: "write" as const, path: path("c"), text: "2" }] },
      { key: undefined, ops: [{ op: "remove" as const, path: "clients/c" }] },
      { key: path("c"), ops: [{ op: "write" as const, path: path("c"), text: "3" }] },
    ];
    await applyTasks(home.dataDir, tasks, new Set(), fs, 1);
    expect(await readFile(join(home.dataDir, path("c")), "utf8")).toBe("3");
    expect((await readdir(join(home.dataDir, "clients/c/queue"))).filter((n) => n.startsWith("."))).toEqual([]);
  });
});

describe("tasks for the writer thread", () => {
  describe("when tasks go to the writer thread as text", () => {
    it("sends a task's journal line as it is, and rebuilds every task", () => {
      const record = { ops: [{ op: "write" as const, path: "q/e/status.json", json: { state: "done" } }] };
      const line = `${JSON.stringify(record)}\n`;
      const tasks = [
        { key: "q/e", ops: record.ops, line },
        { key: undefined, ops: [{ op: "remove" as const, path: "clients/x" }] },
      ];
      const text = encodeTasks(tasks);
      expect(text).toContain(line);
      expect(decodeTasks(text)).toEqual([
        { key: "q/e", ops: record.ops },
        { key: undefined, ops: [{ op: "remove", path: "clients/x" }] },
      ]);
    });

    it("sends a value held as its text (JsonText) as that text, and it arrives as the value", () => {
      const value = { id: "e", payload: { n: 1 } };
      const held = new JsonText(JSON.stringify(value));
      const text = encodeTasks([{ key: "q/e", ops: [{ op: "write", path: "q/e/passenger.json", json: held }] }]);
      expect(text).toContain(held.text);
      expect(decodeTasks(text)).toEqual([{ key: "q/e", ops: [{ op: "write", path: "q/e/passenger.json", json: value }] }]);
    });
  });
});
