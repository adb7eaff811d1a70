import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BatchAppender } from "../../../../src/storage/json/journal-append";
import { createTempHome, type TempHome } from "../../../support/temp-home";

describe("BatchAppender", () => {
  let home: TempHome;
  let file: string;
  let fd: number;
  beforeEach(async () => {
    home = await createTempHome("databus-journal-append-");
    file = join(home.home, "journal.jsonl");
    fd = openSync(file, "a");
  });
  afterEach(async () => {
    closeSync(fd);
    await home.cleanup();
  });
  const lines = (...texts: string[]) => texts.map((t) => ({ line: `${JSON.stringify({ t })}\n` }));

  describe("when batches of different sizes follow each other", () => {
    it("appends exactly each batch's lines, in UTF-8, and returns the bytes written", () => {
      const appender = new BatchAppender(64);
      const batches = [lines("plain", "café 漢字 😀"), lines("x".repeat(500)), lines("short"), lines("é".repeat(40), "b")];
      let total = 0;
      for (const batch of batches) total += appender.append(fd, batch);
      const expected = batches.flat().map((p) => p.line).join("");
      expect(readFileSync(file, "utf8")).toBe(expected);
      expect(total).toBe(Buffer.byteLength(expected));
    });
  });
});
