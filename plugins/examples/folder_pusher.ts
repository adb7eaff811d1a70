/**
 * Example pusher: writes each document as a JSON file into an outbox folder. Use it as
 *   "pushers": [{ "name": "examples/folder_pusher", "options": { "outbox": "outbox/acme" } }]
 * where `outbox` is absolute or relative to the Databus home (default: `<home>/outbox`).
 * The file is named after the idempotency key, so a repeated delivery rewrites the same file.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Pusher, type PushContext } from "databus";
import type Document from "./document";

export default class FolderPusher extends Pusher<Document> {
  async push(document: Document, ctx: PushContext): Promise<void> {
    const option = ctx.options.outbox;
    const outbox = resolve(ctx.home, typeof option === "string" && option !== "" ? option : "outbox");
    await mkdir(outbox, { recursive: true });
    const file = join(outbox, `${fileSafe(ctx.idempotencyKey)}.json`);
    const content = JSON.stringify(
      { id: document.id, external_id: document.external_id, source_system: document.source_system, payload: document.payload },
      null,
      2,
    );
    await writeAtomically(file, `${content}\n`);
    ctx.log.info(`Wrote ${document.external_id} to ${file}.`);
  }
}

/** Keeps letters, digits, `.`, `_` and `-`; everything else (`:` and `/` in keys) becomes `_`. */
export function fileSafe(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
}

/** Temp file + rename in the same folder: readers of the outbox never see half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await writeFile(temp, text, { flush: true });
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
