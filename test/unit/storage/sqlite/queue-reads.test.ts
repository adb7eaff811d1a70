import { describe, expect, it } from "bun:test";
import { infosOf, type StoredRow } from "../../../../src/storage/sqlite/queue-reads";

const rowWith = (infos: string) => ({ infos }) as StoredRow;

describe("infosOf", () => {
  it("reads no attachments from an empty list", () => {
    expect(infosOf(rowWith("[]"))).toEqual([]);
  });

  it("puts the attachments in position order, whatever order SQLite aggregated them in", () => {
    const infos = JSON.stringify([
      [2, "c.bin", "application/octet-stream", 3, 0],
      [0, "a.txt", "text/plain", 1, 1],
      [1, "b.txt", "text/plain", 2, 1],
    ]);
    expect(infosOf(rowWith(infos))).toEqual([
      { name: "a.txt", media_type: "text/plain", size: 1, text: true },
      { name: "b.txt", media_type: "text/plain", size: 2, text: true },
      { name: "c.bin", media_type: "application/octet-stream", size: 3, text: false },
    ]);
  });
});
