/** `databus export` / `databus import` end to end: spawned against a temp home, like a person runs them. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ProgressLine, progressText } from "../../../src/cli/export";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { createTempHome, type TempHome } from "../../support/temp-home";
import { fillClient, snapshotClient } from "../storage/transfer/filled-client";

const REPO = resolve(import.meta.dir, "../../..");

async function databus(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn([process.execPath, "src/main.ts", ...args], { cwd: REPO, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}

async function withDb<T>(home: TempHome, fn: (db: ReturnType<typeof createJsonDatabase>) => Promise<T>): Promise<T> {
  const db = createJsonDatabase(home.dataDir);
  await db.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe("databus export and import", () => {
  let home: TempHome;
  beforeEach(async () => {
    home = await createTempHome("databus-cli-transfer-");
    await withDb(home, (db) => fillClient(db, "acme"));
  });
  afterEach(() => home.cleanup());

  describe("when a client is exported and imported into a new id", () => {
    it("ends each command with its counts, and the new client equals the old one", async () => {
      const file = join(home.home, "acme.databus.gz");
      const exported = await databus("export", "acme", "--out", file, "--home", home.home);
      expect(exported.stderr).toBe("");
      expect(exported.code).toBe(0);
      expect(exported.stdout.trim()).toBe(`Exported client acme to ${file}: 5 entries, 10 attachments, 3 logs, 2 users, 2 files, 2 config backups.`);
      expect(readdirSync(home.home).filter((n) => n.endsWith(".partial"))).toEqual([]);

      const imported = await databus("import", file, "--into", "acme2", "--home", home.home);
      expect(imported.code).toBe(0);
      expect(imported.stdout.trim()).toBe(`Imported ${file} into a new client acme2: 5 entries, 10 attachments, 3 logs, 2 users, 2 files, 2 config backups.`);
      await withDb(home, async (db) => expect(await snapshotClient(db, "acme2")).toEqual(await snapshotClient(db, "acme")));
    });

    it("names the file after the client and the time when --out is not given", async () => {
      const { code, stdout } = await databus("export", "acme", "--home", home.home);
      expect(code).toBe(0);
      const file = /to (\S+\.databus\.gz):/.exec(stdout)?.[1];
      expect(file).toMatch(/acme-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.databus\.gz$/);
      expect(existsSync(file!)).toBe(true);
      (await import("node:fs")).rmSync(file!);
    });
  });

  describe("when something is wrong", () => {
    it("refuses to import into a client that has entries, exit 1 with the code", async () => {
      const file = join(home.home, "acme.databus.gz");
      await databus("export", "acme", "--out", file, "--home", home.home);
      const { code, stderr } = await databus("import", file, "--home", home.home);
      expect(code).toBe(1);
      expect(stderr).toContain("DBUS_EXP_TARGET_NOT_EMPTY Client acme already has 5 queue entries and 3 logs");
    });

    it("says a truncated file is incomplete and leaves no client behind", async () => {
      const file = join(home.home, "acme.databus.gz");
      await databus("export", "acme", "--out", file, "--home", home.home);
      const bytes = readFileSync(file);
      writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const { code, stderr } = await databus("import", file, "--into", "acme2", "--home", home.home);
      expect(code).toBe(1);
      expect(stderr).toContain("DBUS_EXP_TRUNCATED");
      await withDb(home, async (db) => expect(await db.listClients()).toEqual(["acme"]));
    });

    it("exits 1 for a client that does not exist and leaves no partial file", async () => {
      const file = join(home.home, "nobody.databus.gz");
      const { code, stderr } = await databus("export", "nobody", "--out", file, "--home", home.home);
      expect(code).toBe(1);
      expect(stderr).toContain("DBUS_CFG_CLIENT_NOT_FOUND");
      expect(existsSync(file)).toBe(false);
      expect(existsSync(`${file}.partial`)).toBe(false);
    });

    it("exits 2 with usage help for missing arguments or a missing file", async () => {
      expect((await databus("export", "--home", home.home)).code).toBe(2);
      const nowhere = join(home.home, "no-such-folder", "acme.databus.gz");
      const unwritable = await databus("export", "acme", "--out", nowhere, "--home", home.home);
      expect(unwritable.code).toBe(2);
      expect(unwritable.stderr).toContain(`Cannot write the archive ${nowhere}: there is no folder ${join(home.home, "no-such-folder")}`);
      const missing = await databus("import", join(home.home, "none.databus.gz"), "--home", home.home);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("There is no file");
    });
  });

  describe("when the terminal shows progress", () => {
    it("rewrites one line with entries and logs done of the total, and ends it with a newline", () => {
      const written: string[] = [];
      let now = 0;
      const line = new ProgressLine("Exporting acme", (t) => written.push(t), () => now);
      line.show({ phase: "entries", entries: { done: 1, total: 200000 }, logs: { done: 0, total: 10 } });
      now += 50;
      line.show({ phase: "entries", entries: { done: 2, total: 200000 }, logs: { done: 0, total: 10 } });
      now += 100;
      line.show({ phase: "done", entries: { done: 200000, total: 200000 }, logs: { done: 10, total: 10 } });
      line.end();
      expect(written).toEqual([
        "\rExporting acme: entries 1/200000, logs 0/10\x1b[K",
        "\rExporting acme: entries 200000/200000, logs 10/10, done\x1b[K",
        "\n",
      ]);
      expect(progressText("x", { phase: "logs", entries: { done: 5, total: 5 }, logs: { done: 1, total: 3 } })).toBe("x: entries 5/5, logs 1/3");
    });
  });
});
