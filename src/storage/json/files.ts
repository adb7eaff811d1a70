/**
 * Durable file primitives for the json engine: atomic write (temp file in the same folder, fsync,
 * rename, fsync the folder), folder fsync, tolerant reads, and mapping of OS failures to catalogue codes.
 */
import { open, readFile, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DatabusError } from "../../core/errors";

/** Temp names start with a dot so folder listings (and the index rebuild) skip them. */
export const TEMP_PREFIX = ".tmp-";

/** A temp name for `final`, in `dir` (default: beside it; any folder on the same filesystem works for rename). */
export function tempName(final: string, dir = dirname(final)): string {
  const rand = Math.random().toString(36).slice(2, 10);
  return join(dir, `${TEMP_PREFIX}${basename(final)}-${process.pid}-${rand}`);
}

/** ENOSPC → DBUS_STO_DISK_FULL, anything else → DBUS_STO_WRITE_FAILED; the OS error stays the cause. */
export function writeFailure(path: string, cause: unknown): DatabusError {
  if (cause instanceof DatabusError) return cause;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOSPC" || code === "EDQUOT") return new DatabusError("DBUS_STO_DISK_FULL", { path }, { cause });
  const reason = code ?? (cause instanceof Error ? cause.message : String(cause));
  return new DatabusError("DBUS_STO_WRITE_FAILED", { path, reason }, { cause });
}

/** A file's content: text, bytes, or bytes in chunks written one after another. */
export type FileData = string | Uint8Array | readonly Uint8Array[];

/** Writes one file and fsyncs it; no rename. Used inside folders that are themselves renamed into place. */
export async function writeDurable(path: string, data: FileData): Promise<void> {
  const fh = await open(path, "w");
  try {
    // Chunks one after another: a large file made in parts is never copied into one buffer.
    if (Array.isArray(data)) for (const chunk of data) await fh.writeFile(chunk);
    else await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a folder so a rename or a new name in it survives a power loss. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Replaces `path` with `data` so that a crash leaves either the old or the new file, never a mix.
 * Resolves once the new content and its name are on disk. `tempDir` (same filesystem) is where the
 * temp file lives until the rename: entry files put theirs in the queue folder, which open() sweeps,
 * so a crash leaves no leftover inside thousands of entry folders that would each need a listing.
 */
export async function writeAtomic(path: string, data: FileData, tempDir?: string): Promise<void> {
  const tmp = tempName(path, tempDir);
  try {
    await writeDurable(tmp, data);
    await rename(tmp, path);
    await syncDir(dirname(path));
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw writeFailure(path, e);
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

const isMissing = (e: unknown): boolean => {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
};

export async function readTextOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

export async function readBytesOrUndefined(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/** Parsed JSON, undefined when the file is missing; DBUS_STO_CORRUPT_FILE when it is not JSON. */
export async function readJsonOrUndefined<T>(path: string): Promise<T | undefined> {
  const text = await readTextOrUndefined(path);
  return text === undefined ? undefined : parseJsonFile<T>(path, text);
}

/** The text of the file at `path` parsed; DBUS_STO_CORRUPT_FILE when it is not JSON. */
export function parseJsonFile<T>(path: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new DatabusError("DBUS_STO_CORRUPT_FILE", { path, reason: "it is not valid JSON" }, { cause: e });
  }
}

/** Names in a folder without temp files; empty when the folder does not exist. */
export async function listNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith("."));
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
}

/**
 * Removes a folder tree so readers never see half of it: rename it to a temp name first (atomic),
 * fsync the parent, then delete at leisure. A crash leaves a dot-named leftover that open() sweeps.
 */
export async function removeTree(path: string): Promise<boolean> {
  const doomed = tempName(path);
  try {
    await rename(path, doomed);
  } catch (e) {
    if (isMissing(e)) return false;
    throw writeFailure(path, e);
  }
  await syncDir(dirname(path)).catch((e) => {
    throw writeFailure(path, e);
  });
  await rm(doomed, { recursive: true, force: true });
  return true;
}

/**
 * Deletes leftovers of interrupted writes (dot-named temp files and folders) in one folder, and
 * returns the names listNames() would (none when the folder is missing): a queue folder holds
 * 200,000 names at scale, and listing it costs ~0.2 s, so callers list it once.
 */
export async function sweepTemps(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (isMissing(e)) return [];
    throw e;
  }
  await Promise.all(names.filter((n) => n.startsWith(TEMP_PREFIX)).map((n) => rm(join(dir, n), { recursive: true, force: true })));
  return names.filter((n) => !n.startsWith("."));
}
