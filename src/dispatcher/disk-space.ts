/**
 * Free space under the data folder, as the run's early warning (the original warned under 5 %).
 * Reads the file system with statfs; never throws: a disk it cannot measure gives no warning.
 */
import { existsSync } from "node:fs";
import { statfs } from "node:fs/promises";
import { join } from "node:path";
import { DatabusError } from "../core/errors";

/** Below this share of free space a run logs DBUS_WRN_STO_DISK_LOW. */
export const LOW_DISK_PERCENT = 5;

/** Percent of the disk available to Databus (0–100), or null when it cannot be measured. */
export type FreeSpace = (path: string) => Promise<number | null>;

export const freeSpacePercent: FreeSpace = async (path) => {
  try {
    const s = await statfs(path);
    if (!s.blocks) return null;
    return (s.bavail / s.blocks) * 100;
  } catch {
    return null; // not measurable (an engine without a local folder): the warning is only a help
  }
};

/** The folder whose disk matters: `<home>/data` for the JSON engine, the home otherwise. */
export const dataFolderOf = (home: string): string => (existsSync(join(home, "data")) ? join(home, "data") : home);

/** The warning for a run, or null when there is room enough. */
export async function lowDiskWarning(home: string, measure: FreeSpace = freeSpacePercent): Promise<DatabusError | null> {
  const path = dataFolderOf(home);
  const percent = await measure(path);
  if (percent === null || percent >= LOW_DISK_PERCENT) return null;
  return new DatabusError("DBUS_WRN_STO_DISK_LOW", { path, percent: Math.floor(percent * 10) / 10 });
}
