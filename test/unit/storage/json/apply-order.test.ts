import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ApplyFailure, applyTasks, clearSpares, decodeTasks, encodeTasks, SPARE_IDLE_MS } from "../../../../src/storage/json/apply-order";
import { blockingCalls, promiseCalls } from "../../../../src/storage/json/file-calls";
import { Binary, contentOf, JsonText, recordLine } from "../../../../src/storage/json/journal-ops";
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
      const sent = encodeTasks(tasks);
      expect(sent.text).toContain(line);
      expect(decodeTasks(sent)).toEqual([
        { key: "q/e", ops: record.ops },
        { key: undefined, ops: [{ op: "remove", path: "clients/x" }] },
      ]);
    });

    it("sends a value held as its text (JsonText) as that text, and it arrives as the value", () => {
      const value = { id: "e", payload: { n: 1 } };
      const held = new JsonText(JSON.stringify(value));
      const sent = encodeTasks([{ key: "q/e", ops: [{ op: "write", path: "q/e/passenger.json", json: held }] }]);
      expect(sent.text).toContain(held.text);
      expect(decodeTasks(sent)).toEqual([{ key: "q/e", ops: [{ op: "write", path: "q/e/passenger.json", json: value }] }]);
    });

    it("sends held bytes (Binary) beside the text, never as base64, also for a task that has its line", () => {
      const a = new Binary(Uint8Array.from([1, 2, 3]));
      const b = new Binary(Uint8Array.from([4, 5]));
      const folder = { op: "folder" as const, path: "q/e", files: [{ name: "status.json", text: "{}" }, { name: "attachments/a.bin", base64: a }] };
      const write = { op: "write" as const, path: "q/f/attachments/b.bin", base64: b };
      const sent = encodeTasks([
        { key: "q/e", ops: [folder], line: recordLine({ ops: [folder] }) },
        { key: "q/f", ops: [write] },
      ]);
      expect(sent.text).not.toContain(a.toJSON());
      expect(sent.text).not.toContain(b.toJSON());
      expect([...sent.blobs]).toEqual([1, 2, 3, 4, 5]);
      const [first, second] = decodeTasks(sent);
      const sentFolder = first!.ops[0] as typeof folder;
      expect(sentFolder.files[0]).toEqual({ name: "status.json", text: "{}" });
      expect(sentFolder.files[1]!.base64).toBeInstanceOf(Binary);
      expect([...contentOf(sentFolder.files[1]!) as Uint8Array]).toEqual([1, 2, 3]);
      expect([...contentOf(second!.ops[0] as typeof write) as Uint8Array]).toEqual([4, 5]);
      expect(second!.ops[0]).not.toHaveProperty("blob");
    });

    it("sends empty bytes as empty bytes", () => {
      const sent = encodeTasks([{ key: "q/e", ops: [{ op: "write", path: "q/e/empty.bin", base64: new Binary(new Uint8Array(0)) }] }]);
      const [task] = decodeTasks(sent);
      expect(task!.ops[0]).not.toHaveProperty("blob");
      expect(contentOf(task!.ops[0] as { base64: Binary })).toEqual(new Uint8Array(0));
    });
  });
});
