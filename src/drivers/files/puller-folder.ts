/**
 * `databus/files/folder_puller`: every file in a folder that matches the patterns becomes one
 * passenger (external_id = its path under the folder). Seated files leave the folder on notify (moved
 * to the done folder, or deleted); JSON files that do not parse go to the error folder.
 *
 * Options (paths are absolute or relative to the Databus home; done/error relative to `folder`):
 *   folder           required; must exist (a missing folder is an error, not an empty inbox)
 *   patterns         glob patterns under the folder (default `*.json` for json, `*` for attachment)
 *   read_as          "json" (payload = the JSON object) or "attachment" (payload = file facts,
 *                    content = the attachment)                                    default "json"
 *   on_notify        "move" (to done_folder) or "delete"                            default "move"
 *   done_folder      default "done";   error_folder   default "error"
 *   max_files        most files per run (default 1000); min_age_seconds  skip files changed more
 *                    recently than this, still being written by someone (default 0)
 */
import { readFile, rm, stat } from "node:fs/promises";
import { basename, isAbsolute, join, relative, resolve, sep } from "node:path";
import { Puller, type Passenger, type PullContext } from "../../sdk/index";
import { fileProblem, folderProblem, moveFile } from "./folder-access";
import { DriverOptions, withCodeDefaults } from "../shared/options";
import Document, { type FileFacts, type PassengerClass } from "./passenger-document";

const READ_AS = ["json", "attachment"] as const;
const ON_NOTIFY = ["move", "delete"] as const;

/** The options of `databus/files/folder_puller` (see the list above). */
export interface FolderPullerOptions {
  folder?: string;
  patterns?: string | string[];
  read_as?: (typeof READ_AS)[number];
  on_notify?: (typeof ON_NOTIFY)[number];
  done_folder?: string;
  error_folder?: string;
  max_files?: number;
  min_age_seconds?: number;
}

interface Settings {
  folder: string;
  patterns: string[];
  readAs: (typeof READ_AS)[number];
  onNotify: (typeof ON_NOTIFY)[number];
  doneFolder: string;
  errorFolder: string;
  maxFiles: number;
  minAgeMs: number;
}

export function settingsOf(ctx: PullContext): Settings {
  const o = new DriverOptions(ctx.driver, ctx.options);
  const folder = resolve(ctx.home, o.text("folder"));
  const readAs = o.choice("read_as", READ_AS, "json");
  return {
    folder,
    readAs,
    patterns: o.texts("patterns", [readAs === "json" ? "*.json" : "*"]),
    onNotify: o.choice("on_notify", ON_NOTIFY, "move"),
    doneFolder: resolve(folder, o.text("done_folder", "done")),
    errorFolder: resolve(folder, o.text("error_folder", "error")),
    maxFiles: o.number("max_files", 1000, 1, 100_000),
    minAgeMs: o.number("min_age_seconds", 0, 0, 86_400) * 1000,
  };
}

/**
 * `databus/files/folder_puller`: each matching file of a folder is one passenger. Extend it to give
 * a folder its own passenger type and definition, with its settings in code or in the client config.
 *
 * @example
 * ```ts
 * import { FolderPuller, type FolderPullerOptions } from "databus/files";
 * import Order from "./order"; // export default class Order extends Document<{ number: string }> {}
 * export default class OrderFolder extends FolderPuller<Order> {
 *   passengerClass = Order;
 *   options: FolderPullerOptions = { folder: "inbox/orders", patterns: ["*.json"] };
 * }
 * ```
 */
export default class FolderPuller<T extends Passenger = Document> extends Puller<T> {
  /** The passenger type it creates: Document, or any passenger type (name the definition after it). */
  passengerClass: PassengerClass<T> = Document as unknown as PassengerClass<T>;
  /** Option defaults in code; the client config's options override them key by key. */
  options: FolderPullerOptions = {};

  async pull(context: PullContext): Promise<T[]> {
    const ctx = withCodeDefaults(context, this.options);
    const s = settingsOf(ctx);
    const documents: T[] = [];
    for (const path of await matchingFiles(s, ctx)) {
      const doc = await readDocument(s, path, ctx, this.passengerClass);
      if (doc) documents.push(doc);
      else if (doc === null) await moveFile(join(s.folder, path), join(s.errorFolder, path), ctx.driver);
    }
    if (documents.length > 0) ctx.log.info(`Found ${documents.length} file(s) in ${s.folder}.`);
    return documents;
  }

  /** Seated files are safe in the queue, so they leave the folder. Runs again after a crash: a file already gone is fine. */
  override async notifySeated(documents: T[], context: PullContext): Promise<void> {
    const ctx = withCodeDefaults(context, this.options);
    const s = settingsOf(ctx);
    for (const d of documents) {
      const from = insideFolder(s.folder, d.external_id);
      if (s.onNotify === "delete") await rm(from, { force: true });
      else await moveFile(from, join(s.doneFolder, relative(s.folder, from)), ctx.driver);
    }
  }

  /** What waits in the folder, without moving anything (bad files are left for pull to report). */
  override async peek(context: PullContext): Promise<T[]> {
    const ctx = withCodeDefaults(context, this.options);
    const s = settingsOf(ctx);
    const documents: T[] = [];
    for (const path of await matchingFiles(s, ctx)) {
      const doc = await readDocument(s, path, ctx, this.passengerClass, true);
      if (doc) documents.push(doc);
    }
    return documents;
  }
}

/** Paths (with `/`) under the folder that match a pattern, sorted, outside the done and error folders. */
async function matchingFiles(s: Settings, ctx: PullContext): Promise<string[]> {
  const problem = await folderProblem(s.folder, "read");
  if (problem) throw new Error(`${ctx.driver}: ${problem}`);
  const found = new Set<string>();
  for (const pattern of s.patterns) {
    for await (const path of new Bun.Glob(pattern).scan({ cwd: s.folder, onlyFiles: true, dot: false })) {
      const full = join(s.folder, path);
      if (isWithin(s.doneFolder, full) || isWithin(s.errorFolder, full)) continue;
      found.add(path.split(sep).join("/"));
    }
  }
  const sorted = [...found].sort();
  if (sorted.length > s.maxFiles) ctx.log.info(`${sorted.length} files wait in ${s.folder}; taking the first ${s.maxFiles} this run.`);
  return sorted.slice(0, s.maxFiles);
}

/** The passenger for one file; undefined to leave the file for later, null when it belongs in the error folder. */
async function readDocument<T extends Passenger>(
  s: Settings,
  path: string,
  ctx: PullContext,
  passengerClass: PassengerClass<T>,
  quiet = false,
): Promise<T | undefined | null> {
  const full = join(s.folder, path);
  let bytes: Uint8Array;
  let modified: Date;
  try {
    const info = await stat(full);
    modified = info.mtime;
    // Only when asked to wait: an mtime can be ahead of Date.now() (sub-millisecond, or a share's
    // clock), and with no minimum age such a file must still be taken now, not when the clock catches up.
    if (s.minAgeMs > 0 && Date.now() - info.mtimeMs < s.minAgeMs) return undefined;
    bytes = new Uint8Array(await readFile(full));
  } catch (e) {
    if (!quiet) ctx.log.error(`${ctx.driver}: ${fileProblem(full, e)}; it stays where it is.`);
    return undefined;
  }
  if (s.readAs === "attachment") {
    const payload: FileFacts = { path, name: basename(path), size: bytes.byteLength, modified_at: modified.toISOString() };
    return new passengerClass({ external_id: path, payload: payload as T["payload"], attachments: [{ name: basename(path), content: bytes }] });
  }
  // The file's JSON is trusted to have the shape the passenger type declares, as any puller's source is.
  const payload = parseObject(bytes);
  if (payload) return new passengerClass({ external_id: path, payload: payload as T["payload"] });
  if (!quiet) ctx.log.error(`${path} in ${s.folder} is not a JSON object; it was moved to ${s.errorFolder}.`);
  return quiet ? undefined : null;
}

function parseObject(bytes: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch (e) {
    if (e instanceof SyntaxError) return undefined; // not JSON: the caller reports it and moves the file aside
    throw e;
  }
}

const isWithin = (folder: string, path: string): boolean => {
  const rel = relative(folder, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

/** The file an external id names; refuses ids that would leave the folder (they never come from pull). */
function insideFolder(folder: string, externalId: string): string {
  const full = resolve(folder, externalId);
  if (!isWithin(folder, full) || full === folder) throw new Error(`the external id ${externalId} is not a file under ${folder}`);
  return full;
}
