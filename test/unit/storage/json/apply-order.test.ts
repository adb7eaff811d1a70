import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ApplyFailure, applyTasks } from "../../../../src/storage/json/apply-order";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe("applyTasks", () => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-apply-");
    await mkdir(home.dataDir, { recursive: true });
  });
  afterEach(() => home.cleanup());

  it("keeps the order within one unit, so the last write of a file wins", async () => {
    const dirty = new Set<string>();
    const tasks = Array.from({ length: 30 }, (_, n) => ({ key: "q/e", ops: [{ op: "write" as const, path: "q/e/s.json", text: String(n) }] }));
    await applyTasks(home.dataDir, tasks, dirty, 4);
    expect(await readFile(join(home.dataDir, "q/e/s.json"), "utf8")).toBe("29");
    expect(dirty.has(join(home.dataDir, "q/e/s.json"))).toBe(true);
  });

  it("runs a task without a key after everything before it", async () => {
    const tasks = [
      { key: "a", ops: [{ op: "write" as const, path: "c/a/x.json", text: "1" }] },
      { key: undefined, ops: [{ op: "remove" as const, path: "c/a" }] },
      { key: "b", ops: [{ op: "write" as const, path: "c/b/y.json", text: "2" }] },
    ];
    await applyTasks(home.dataDir, tasks, new Set());
    expect(await Bun.file(join(home.dataDir, "c/a/x.json")).exists()).toBe(false);
    expect(await readFile(join(home.dataDir, "c/b/y.json"), "utf8")).toBe("2");
  });

  it("throws ApplyFailure naming the file and keeping the OS error, after the other units finished", async () => {
    await writeFile(join(home.dataDir, "blocked"), "a file");
    const tasks = [
      { key: "x", ops: [{ op: "write" as const, path: "blocked/a.json", text: "1" }] },
      { key: "y", ops: [{ op: "write" as const, path: "fine/b.json", text: "2" }] },
    ];
    const error = await applyTasks(home.dataDir, tasks, new Set()).catch((e) => e);
    expect(error).toBeInstanceOf(ApplyFailure);
    expect((error as ApplyFailure).path).toBe("blocked/a.json");
    expect(((error as ApplyFailure).reason as NodeJS.ErrnoException).code).toBe("ENOTDIR");
    expect(await readFile(join(home.dataDir, "fine/b.json"), "utf8")).toBe("2");
  });
});
