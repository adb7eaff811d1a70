import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { exchange, exchangeAvailable } from "../../../../src/storage/json/exchange";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe("exchange", () => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-exchange-");
  });
  afterEach(() => home.cleanup());

  it("is there on Linux (the project's machines) and nowhere else", () => {
    expect(exchangeAvailable()).toBe(process.platform === "linux" && !process.env.DATABUS_NO_EXCHANGE);
  });

  it("swaps two names atomically: contents and inodes trade places, nothing is freed", async () => {
    if (!exchangeAvailable()) throw new Error("renameat2 is missing on this Linux machine");
    const a = join(home.home, "a.json");
    const b = join(home.home, "b.json");
    await writeFile(a, "new");
    await writeFile(b, "old");
    const [inoA, inoB] = [(await stat(a)).ino, (await stat(b)).ino];
    expect(exchange(a, b)).toBe(true);
    expect(await readFile(b, "utf8")).toBe("new");
    expect(await readFile(a, "utf8")).toBe("old");
    expect((await stat(b)).ino).toBe(inoA);
    expect((await stat(a)).ino).toBe(inoB);
  });

  it("answers false and changes nothing when the other name does not exist (the caller renames instead)", async () => {
    const a = join(home.home, "a.json");
    await writeFile(a, "new");
    expect(exchange(a, join(home.home, "missing.json"))).toBe(false);
    expect(await readFile(a, "utf8")).toBe("new");
  });
});
