/**
 * The single-owner lock file `<data>/databus.lock` holding the owner's pid. A lock whose process is
 * gone is stale and taken over; a live one makes open() fail with DBUS_SET_HOME_LOCKED.
 */
import { open, readFile, rm } from "node:fs/promises";
import { DatabusError } from "../../core/errors";
import { syncDir, writeFailure } from "./files";
import { dirname } from "node:path";

/** True when a process with this pid exists (EPERM means it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readLockPid(lockFile: string): Promise<number | undefined> {
  try {
    const text = await readFile(lockFile, "utf8");
    return Number.parseInt(text.trim(), 10);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

async function tryCreate(lockFile: string): Promise<boolean> {
  try {
    // "wx" fails when the file exists, so two starting processes cannot both win.
    const fh = await open(lockFile, "wx");
    try {
      await fh.writeFile(`${process.pid}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await syncDir(dirname(lockFile));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw writeFailure(lockFile, e);
  }
}

/**
 * Takes the lock for this process. Our own pid counts as alive: a second store opened on the same
 * folder inside one process is refused too.
 */
export async function acquireLock(lockFile: string, dataDir: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await tryCreate(lockFile)) return;
    const pid = await readLockPid(lockFile);
    if (pid === undefined) continue;
    if (isProcessAlive(pid)) throw new DatabusError("DBUS_SET_HOME_LOCKED", { path: dataDir, pid, lockFile });
    await rm(lockFile, { force: true });
  }
  const pid = (await readLockPid(lockFile)) ?? 0;
  throw new DatabusError("DBUS_SET_HOME_LOCKED", { path: dataDir, pid, lockFile });
}

/** Removes the lock if it is still ours (a takeover by someone else must not be undone). */
export async function releaseLock(lockFile: string): Promise<void> {
  if ((await readLockPid(lockFile)) === process.pid) await rm(lockFile, { force: true });
}
