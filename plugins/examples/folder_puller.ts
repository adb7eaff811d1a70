/**
 * Example puller: every `*.json` file in an inbox folder becomes one passenger (external_id = the
 * file name, payload = its JSON). Seated files move to `<inbox>/done/`, files that are not JSON
 * to `<inbox>/error/`. Use it in a client config as
 *   "pullers": [{ "name": "examples/folder_puller", "options": { "inbox": "inbox/acme" } }]
 * where `inbox` is absolute or relative to the Databus home (default: `<home>/inbox`).
 */
import { mkdir, readdir, readFile, rename } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Puller, type PullContext } from "databus";
import Document, { type DocumentPayload } from "./document";

export default class FolderPuller extends Puller<Document> {
  async pull(ctx: PullContext): Promise<Document[]> {
    const inbox = inboxOf(ctx);
    const documents: Document[] = [];
    for (const name of await jsonFiles(inbox)) {
      const payload = await readDocument(join(inbox, name));
      if (payload === undefined) {
        ctx.log.error(`${name} is not a JSON object; it was moved to ${join(inbox, "error")}.`);
        await moveTo(inbox, name, "error");
        continue;
      }
      documents.push(new Document({ external_id: name, payload }));
    }
    if (documents.length > 0) ctx.log.info(`Found ${documents.length} document(s) in ${inbox}.`);
    return documents;
  }

  /** Seated documents are safe in the queue, so their files leave the inbox. Runs again after a crash. */
  override async notifySeated(documents: Document[], ctx: PullContext): Promise<void> {
    const inbox = inboxOf(ctx);
    for (const d of documents) await moveTo(inbox, d.external_id, "done");
  }

  /** What waits in the inbox, without moving anything (bad files are left for pull to report). */
  override async peek(ctx: PullContext): Promise<Document[]> {
    const inbox = inboxOf(ctx);
    const documents: Document[] = [];
    for (const name of await jsonFiles(inbox)) {
      const payload = await readDocument(join(inbox, name));
      if (payload !== undefined) documents.push(new Document({ external_id: name, payload }));
    }
    return documents;
  }
}

function inboxOf(ctx: PullContext): string {
  const option = ctx.options.inbox;
  return resolve(ctx.home, typeof option === "string" && option !== "" ? option : "inbox");
}

/** `*.json` file names in the folder, sorted; a missing inbox is an empty one. */
async function jsonFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isFile() && e.name.endsWith(".json")).map((e) => e.name).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

/** The JSON object in the file, or undefined when it is not one. */
async function readDocument(path: string): Promise<DocumentPayload | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(path, "utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as DocumentPayload) : undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** Moves `<dir>/<name>` into `<dir>/<folder>/`; a file already moved (a repeated notify) is fine. */
async function moveTo(dir: string, name: string, folder: "done" | "error"): Promise<void> {
  await mkdir(join(dir, folder), { recursive: true });
  try {
    await rename(join(dir, name), join(dir, folder, name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}
