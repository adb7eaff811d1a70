/**
 * Schema drift: running drizzle-kit generate against a copy of the committed migrations must find
 * nothing to do, so schema.ts and migrations/ never disagree. Also checks the embedded list in
 * migrate.ts names every committed folder, with the same text.
 */
import { afterAll, describe, expect, it } from "bun:test";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS } from "../../../../src/storage/mssql/migrate";

const ROOT = join(import.meta.dir, "../../../..");
const COMMITTED = join(ROOT, "src/storage/mssql/migrations");
const folders = async (dir: string) => (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe("mssql schema", () => {
  const temps: string[] = [];
  afterAll(async () => {
    for (const t of temps) await rm(t, { recursive: true, force: true });
  });

  describe("when drizzle-kit generate runs again", () => {
    it("produces no new migration", async () => {
      const temp = await mkdtemp(join(tmpdir(), "databus-mssql-drift-"));
      temps.push(temp);
      const out = join(temp, "migrations");
      await cp(COMMITTED, out, { recursive: true });
      const proc = Bun.spawnSync(
        ["npx", "drizzle-kit", "generate", "--dialect", "mssql", "--schema", "./src/storage/mssql/schema.ts", "--out", out],
        { cwd: ROOT, stdout: "pipe", stderr: "pipe" },
      );
      const output = `${proc.stdout.toString()}${proc.stderr.toString()}`;
      expect(proc.exitCode).toBe(0);
      expect(output).toContain("No schema changes");
      expect(await folders(out)).toEqual(await folders(COMMITTED));
    }, 120_000);
  });

  describe("when the binary embeds the migrations", () => {
    it("lists every committed folder with its exact text", async () => {
      expect(MIGRATIONS.map((m) => m.name)).toEqual(await folders(COMMITTED));
      for (const m of MIGRATIONS) expect(m.text).toBe(await Bun.file(join(COMMITTED, m.name, "migration.sql")).text());
    });
  });
});
