/**
 * Atomic swap of two names (Linux renameat2 with RENAME_EXCHANGE), so a file can be replaced by
 * temp + rename without deleting the old file's inode: the temp name then holds the old content and
 * is written over for the next replacement.
 *
 * Why: an ext4 without a journal (this project's disk, and many VM images) will not reuse an inode
 * freed in the last 60 s, or 6 minutes while its inode table block waits to be written (the
 * kernel's `recently_deleted`, fs/ext4/ialloc.c), and checks every such inode each time it
 * allocates a new one. A store that replaces thousands of status files a second with plain rename
 * frees thousands of inodes a second, and every new file then scans past all of them: the kernel's
 * share of a 10,000-passenger run grew faster than the run (0.4 s of system time at 3,000
 * passengers, 15 s at 10,000). Swapping keeps the number of inodes freed near zero, and readers
 * still see the old file or the new one, never a mix.
 *
 * Where the call is missing (not Linux, no libc found, a filesystem that refuses the flag), exchange()
 * answers false and the caller renames as before.
 */
const AT_FDCWD = -100;
const RENAME_EXCHANGE = 2;

type Swap = (a: string, b: string) => boolean;

let swap: Swap | null | undefined;

function load(): Swap | null {
  if (process.platform !== "linux" || process.env.DATABUS_NO_EXCHANGE) return null;
  try {
    // Loaded on first use: bun:ffi is Bun's own module and only the json store's file writer needs it.
    const { dlopen, FFIType, ptr } = require("bun:ffi") as typeof import("bun:ffi");
    const libc = dlopen("libc.so.6", {
      renameat2: { args: [FFIType.i32, FFIType.ptr, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
    });
    const cString = (s: string) => Buffer.from(`${s}\0`, "utf8");
    return (a, b) => {
      const from = cString(a);
      const to = cString(b);
      return libc.symbols.renameat2(AT_FDCWD, ptr(from), AT_FDCWD, ptr(to), RENAME_EXCHANGE) === 0;
    };
  } catch {
    // No libc.so.6 (musl, a stripped image) or no FFI: plain rename is correct, only slower there.
    return null;
  }
}

/** The swap, loaded on first use; null where it cannot work. */
function loaded(): Swap | null {
  if (swap === undefined) swap = load();
  return swap;
}

/** Swaps the names `a` and `b` (both must exist, on one filesystem); false when it could not. */
export function exchange(a: string, b: string): boolean {
  return loaded()?.(a, b) ?? false;
}

/** Whether exchange() can work here at all (tests check both paths). */
export function exchangeAvailable(): boolean {
  return loaded() !== null;
}
