/** Temp folders for tests: a fresh Databus home (with its data/ path) that removes itself. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
