/** Writing a file for another program to read: drivers that deliver into folders share this. */
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Temp file (a dot file, so folder pullers skip it) + fsync + rename in the same folder: readers never
 * see half a file.
 */
export async function writeAtomically(path: string, content: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${crypto.randomUUID()}.tmp`);
  try {
    await writeFile(temp, content, { flush: true });
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
