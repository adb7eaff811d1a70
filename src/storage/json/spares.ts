/**
 * Temp files kept for reuse by the file writer: after a replacement by exchange() the temp name holds
 * the replaced file's old content, and the next replacement in that folder writes over it instead of
 * creating a new file (see exchange.ts for why new and freed inodes are costly). apply-order.ts keeps
 * one pool per thread and empties it (`clear`) when the writes stop; one left by a crash is a
 * dot-named temp that open() sweeps like any other.
 */
import { rm } from "node:fs/promises";

/** More than the writer's width per folder is never needed at once. */
const MAX_PER_FOLDER = 32;

export class Spares {
  private byFolder = new Map<string, string[]>();

  /** A spare temp file in `folder`, if one is free (it exists, with stale content). */
  take(folder: string): string | undefined {
    return this.byFolder.get(folder)?.pop();
  }

  /** Hands back a temp file that now holds an old version (it was exchanged into place and back out). */
  give(folder: string, path: string): Promise<void> {
    let free = this.byFolder.get(folder);
    if (!free) this.byFolder.set(folder, (free = []));
    if (free.length < MAX_PER_FOLDER) {
      free.push(path);
      return Promise.resolve();
    }
    return rm(path, { force: true });
  }

  /** The folder is gone (a client deleted meanwhile): its spares went with it. */
  forget(folder: string): void {
    this.byFolder.delete(folder);
  }

  /** Deletes every spare; called when the drain is over. */
  async clear(): Promise<void> {
    const paths = [...this.byFolder.values()].flat();
    this.byFolder.clear();
    await Promise.all(paths.map((p) => rm(p, { force: true })));
  }
}
