import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { exchangeAvailable } from "../../../../src/storage/json/exchange";
import { applyRecord } from "../../../../src/storage/json/journal-ops";
import { Spares } from "../../../../src/storage/json/spares";
import { createTempHome, type TempHome } from "../../../support/temp-home";

const STATUS = "clients/c/queue/e1/status.json";
const write = (text: string) => ({ ops: [{ op: "write" as const, path: STATUS, text }] });

describe("file replacement with spare temps", () => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-spares-");
  });
  afterEach(() => home.cleanup());

  it("exchanges the new file into place: the spare now holds the old file, whose inode lives on", async () => {
    if (!exchangeAvailable()) throw new Error("renameat2 is missing on this Linux machine");
    const spares = new Spares();
    await applyRecord(home.dataDir, write("v1"), new Set(), spares);
    const first = (await stat(join(home.dataDir, STATUS))).ino;
    await applyRecord(home.dataDir, write("v2"), new Set(), spares);
    expect(await readFile(join(home.dataDir, STATUS), "utf8")).toBe("v2");
    const spare = spares.take(join(home.dataDir, "clients/c/queue"));
    expect(spare).toBeDefined();
    expect(await readFile(spare!, "utf8")).toBe("v1");
    expect((await stat(spare!)).ino).toBe(first);
    spares.give(join(home.dataDir, "clients/c/queue"), spare!);
    // The third write reuses that spare: the file gets the first inode back, no new one is made.
    await applyRecord(home.dataDir, write("v3"), new Set(), spares);
    expect((await stat(join(home.dataDir, STATUS))).ino).toBe(first);
    expect(await readFile(join(home.dataDir, STATUS), "utf8")).toBe("v3");
    await spares.clear();
    expect(await Bun.file(spare!).exists()).toBe(false);
  });

  it("renames as before without a pool (replay at open), leaving nothing to reuse", async () => {
    await applyRecord(home.dataDir, write("v1"), new Set());
    await applyRecord(home.dataDir, write("v2"), new Set());
    expect(await readFile(join(home.dataDir, STATUS), "utf8")).toBe("v2");
  });
});
