/** Temp folders for tests: a fresh Databus home (with its data/ path) that removes itself. */
import { afterEach, beforeEach } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "../../src/storage/database";
import { createJsonDatabase } from "../../src/storage/json/index";

export interface TempHome {
  /** The home folder (holds data/, plugins/). */
  home: string;
  /** `<home>/data`, not created: engines create it on open. */
  dataDir: string;
  cleanup(): Promise<void>;
}

export async function createTempHome(prefix = "databus-test-"): Promise<TempHome> {
  const home = await mkdtemp(join(tmpdir(), prefix));
  return {
    home,
    dataDir: join(home, "data"),
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

/**
 * A json store in a fresh temp home with one client (config `{}`), opened before each test of the
 * calling describe block and closed (and its home removed) after. Call inside describe().
 */
export function useJsonStore(prefix: string, client = "acme"): () => Database {
  let home: TempHome;
  let db: Database;
  beforeEach(async () => {
    home = await createTempHome(prefix);
    db = createJsonDatabase(home.dataDir);
    await db.open();
    await db.createClient(client, "{}");
  });
  afterEach(async () => {
    await db.close();
    await home.cleanup();
  });
  return () => db;
}
