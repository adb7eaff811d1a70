/**
 * File-system work the folder drivers share: checking a folder before use, turning system error codes
 * into sentences, and moving a file (across disks too). Writing one atomically is in drivers/shared/.
 */
import { access, constants, copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, extname } from "node:path";

/** Why the folder cannot be used to read (list, move out of) or write, in words; null when it can. */
export async function folderProblem(folder: string, use: "read" | "write"): Promise<string | null> {
  try {
    if (!(await stat(folder)).isDirectory()) return `${folder} is a file, not a folder. Fix the option \`folder\` in the client's configuration.`;
    await access(folder, use === "read" ? constants.R_OK | constants.X_OK : constants.W_OK | constants.X_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return `the folder ${folder} does not exist. Create it, or fix the option \`folder\` in the client's configuration.`;
    if (code === "EACCES" || code === "EPERM")
      return `Databus may not ${use === "read" ? "read" : "write to"} the folder ${folder} (permission denied). Give the user running Databus access to it.`;
    throw e;
  }
}

/** One file's failure as a sentence fragment, without system jargon where we know the case. */
export function fileProblem(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return `Databus may not read ${path} (permission denied)`;
  if (code === "ENOENT") return `${path} disappeared while it was read`;
  return `${path} could not be read (${(e as Error).message})`;
}

/**
 * Moves a file, creating the target's folder. A source already gone is fine (a repeated notify after a
 * crash); a target that exists is kept and the file gets a time suffix, so nothing is overwritten.
 */
export async function moveFile(from: string, to: string, driver: string): Promise<void> {
  try {
    await mkdir(dirname(to), { recursive: true });
    const target = (await exists(to)) ? withSuffix(to) : to;
    try {
      await rename(from, target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
      await copyFile(from, target); // another disk: copy, then remove the original
      await rm(from);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !(await exists(from))) return;
    if (code === "EACCES" || code === "EPERM")
      throw new Error(`${driver}: Databus may not move ${from} to ${dirname(to)} (permission denied). Give the user running Databus write access to both folders.`);
    throw e;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

/** `a/report.csv` → `a/report.2026-06-01T09-00-00-000Z.csv` */
function withSuffix(path: string): string {
  const ext = extname(path);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return `${path.slice(0, path.length - ext.length)}.${stamp}${ext}`;
}
