/** Runs the Database contract against the sqlite engine on a temp file (reopen needs a file); no skips. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteDatabase } from "../../src/storage/sqlite";
import { runDatabaseContract } from "./database.contract";

runDatabaseContract({
  name: "sqlite",
  create: async () => {
    const dir = await mkdtemp(join(tmpdir(), "databus-sqlite-contract-"));
    const file = join(dir, "databus.sqlite");
    let db = createSqliteDatabase(file);
    await db.open();
    return {
      db,
      reopen: async () => {
        await db.close();
        db = createSqliteDatabase(file);
        await db.open();
        return db;
      },
      cleanup: async () => {
        await db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
});
