/**
 * `databus/files/folder_pusher`: writes each passenger into a folder, every file atomically (a dot
 * temp file, then rename), so a program watching the folder never reads half a file. A repeated
 * delivery rewrites the same file, because file names come from the idempotency key by default.
 *
 * Options (paths absolute or relative to the Databus home):
 *   folder          required; must exist unless create_folder is true (a missing mount is an error)
 *   create_folder   create a missing folder                                         default false
 *   write           "json": one `<name>.json` with id, external_id, payload…;
 *                   "attachments": each attachment as its own file                   default "json"
 *   naming          "idempotency_key" (`<passenger id>_<pusher>`), "external_id", or for attachments
 *                   "original" (the attachment's own name; a later one replaces it)
 *                                                                          default "idempotency_key"
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Pusher, type Passenger, type PushContext } from "../../sdk/index";
import { passengerDocument } from "../shared/passenger-document";
import { writeAtomically } from "../shared/write-file";
import { folderProblem } from "./folder-access";
import { DriverOptions, withCodeDefaults } from "../shared/options";

const WRITE = ["json", "attachments"] as const;
const NAMING = ["idempotency_key", "external_id", "original"] as const;

/** The options of `databus/files/folder_pusher` (see the list above). */
export interface FolderPusherOptions {
  folder?: string;
  create_folder?: boolean;
  write?: (typeof WRITE)[number];
  naming?: (typeof NAMING)[number];
}

/**
 * `databus/files/folder_pusher`: writes each passenger into a folder, atomically.
 *
 * @example
 * ```ts
 * import { FolderPusher, type FolderPusherOptions } from "databus/files";
 * export default class Archive extends FolderPusher {
 *   options: FolderPusherOptions = { folder: "archive", create_folder: true, write: "attachments" };
 * }
 * ```
 */
export default class FolderPusher extends Pusher {
  /** Option defaults in code; the client config's options override them key by key. */
  options: FolderPusherOptions = {};

  async push(passenger: Passenger, context: PushContext): Promise<void> {
    const ctx = withCodeDefaults(context, this.options);
    const o = new DriverOptions(ctx.driver, ctx.options);
    const folder = resolve(ctx.home, o.text("folder"));
    const write = o.choice("write", WRITE, "json");
    const naming = o.choice("naming", NAMING, "idempotency_key");
    if (naming === "original" && write === "json") throw o.problem("naming", `can be "original" only with "write": "attachments"`);
    if (o.boolean("create_folder", false)) await mkdir(folder, { recursive: true });
    const problem = await folderProblem(folder, "write");
    if (problem) throw new Error(`${ctx.driver}: ${problem}`);

    const stem = fileSafe(naming === "external_id" ? passenger.external_id : ctx.idempotencyKey);
    const files =
      write === "json"
        ? [{ name: `${stem}.json`, content: `${JSON.stringify(passengerDocument(passenger, ctx.idempotencyKey, passenger.attachments.map((a) => a.name)), null, 2)}\n` }]
        : passenger.attachments.map((a) => ({ name: naming === "original" ? fileSafe(a.name) : `${stem}_${fileSafe(a.name)}`, content: a.content }));
    for (const f of files) await writeAtomically(join(folder, f.name), f.content);
    ctx.log.info(`Wrote ${files.length} file(s) for ${passenger.external_id} to ${folder}.`);
  }
}

/** Keeps letters, digits, `.`, `_` and `-`; everything else (`:` and `/` in keys) becomes `_`; no leading dot. */
export function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_").slice(0, 200);
}
