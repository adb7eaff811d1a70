/** No plain-text password is committed: client configs under data/ hold argon2 hashes only. */
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./source-files";

/** Tracked files plus untracked ones that are not ignored: what the next commit could contain. */
function committableFiles(): string[] {
  const run = (args: string[]) => {
    const r = Bun.spawnSync(["git", ...args], { cwd: REPO });
    if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr.toString()}`);
    return r.stdout.toString().split("\n").filter(Boolean);
  };
  return [...new Set([...run(["ls-files"]), ...run(["ls-files", "--others", "--exclude-standard"])])];
}

export const isDataConfig = (path: string): boolean => /(^|\/)data\/(.+\/)?config\.json$/.test(path);

/** A `"password"` key anywhere in the text; `"password_hash"` is fine. */
export const hasPasswordKey = (text: string): boolean => /"password"\s*:/.test(text);

describe("no secrets", () => {
  describe("when reading committable client configs under data/", () => {
    it("finds no password key", () => {
      const offenders = committableFiles()
        .filter(isDataConfig)
        .filter((f) => hasPasswordKey(readFileSync(join(REPO, f), "utf8")));
      expect(offenders).toEqual([]);
    });
  });

  describe("when checking the rule itself", () => {
    it("picks config files under any data/ folder", () => {
      expect(isDataConfig("data/clients/acme/config.json")).toBe(true);
      expect(isDataConfig("examples/home/data/clients/demo/config.json")).toBe(true);
      expect(isDataConfig("data/config.json")).toBe(true);
      expect(isDataConfig("test/fixtures/clients/demo/config.json")).toBe(false);
      expect(isDataConfig("data/clients/acme/config.json.bak")).toBe(false);
    });

    it("finds a password key, however it is spaced, and lets hashes pass", () => {
      expect(hasPasswordKey('{"users": [{"username": "demo", "password" : "demo"}]}')).toBe(true);
      expect(hasPasswordKey('{"users": [{"username": "demo", "password_hash": "$argon2id$..."}]}')).toBe(false);
    });
  });
});
