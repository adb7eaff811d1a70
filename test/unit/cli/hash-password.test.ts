import { describe, expect, it } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const MAIN = join(import.meta.dir, "../../../src/main.ts");

describe("databus hash-password", () => {
  it("prints an argon2id hash of the password read on stdin, never the password", async () => {
    const r = spawnSync(process.execPath, [MAIN, "hash-password"], { input: "s3cret-Pass\n", encoding: "utf8" });
    expect(r.status).toBe(0);
    const hash = r.stdout.trim();
    expect(hash).toStartWith("$argon2id$");
    expect(r.stdout + r.stderr).not.toContain("s3cret-Pass");
    expect(await Bun.password.verify("s3cret-Pass", hash)).toBe(true);
  });

  describe("when stdin is empty", () => {
    it("exits 2 and says what is missing", () => {
      const r = spawnSync(process.execPath, [MAIN, "hash-password"], { input: "", encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("No password");
    });
  });
});
