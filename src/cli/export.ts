/**
 * `databus export <client> [--out file]`: writes one client as an archive (storage/transfer), via a
 * `.partial` file renamed into place at the end, so a failed export never looks like a whole archive.
 * Also the helpers `databus import` shares: opening the store, the progress line, the counts sentence.
 */
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Writable } from "node:stream";
import { DatabusError } from "../core/errors";
import { isClientId } from "../core/ids";
import { loadPlugins } from "../plugins/load";
import { PluginRegistry } from "../plugins/registry";
import type { Settings } from "../settings/schema";
import type { Database } from "../storage/database";
import { archiveFileName, exportClient, type ArchiveCounts, type TransferProgress } from "../storage/transfer/index";
import type { CommandContext } from "./context";
import { createEngine } from "./engine";
import { EXIT_OK } from "./report";
import { VERSION } from "./version";

export async function exportCommand(ctx: CommandContext): Promise<number> {
  const [client, extra] = ctx.args.positional;
  if (!client || extra !== undefined) throw new DatabusError("DBUS_SET_USAGE", { problem: "Use it as: databus export <client> [--out file]" });
  if (!isClientId(client)) throw new DatabusError("DBUS_CFG_BAD_CLIENT_ID", { id: client });
  const out = resolve(ctx.args.flags.out ?? archiveFileName(client, new Date().toISOString()));
  const partial = `${out}.partial`;
  const db = await openStore(ctx.settings);
  const progress = new ProgressLine(`Exporting ${client}`);
  try {
    // Opened (and so created) before the export starts: a stream that opens its file lazily could create
    // it after a failure's clean-up below had already run, leaving a stray `.partial` behind.
    const file = Writable.toWeb((await openPartial(partial, out)).createWriteStream()) as WritableStream<Uint8Array>;
    const counts = await exportClient(db, client, file, (p) => progress.show(p), { version: VERSION });
    await rename(partial, out);
    progress.end();
    ctx.out(`Exported client ${client} to ${out}: ${describeCounts(counts)}.`);
    return EXIT_OK;
  } catch (e) {
    progress.end();
    await rm(partial, { force: true });
    throw e;
  } finally {
    await db.close();
  }
}

/** The `.partial` file, or a clear error naming `--out` when it cannot be made there. */
async function openPartial(partial: string, out: string): Promise<FileHandle> {
  try {
    return await open(partial, "w");
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? `there is no folder ${dirname(out)}` : (e as Error).message;
    throw new DatabusError("DBUS_SET_USAGE", { problem: `Cannot write the archive ${out}: ${reason}` });
  }
}

/** The store of the home, opened for writing (the json engine's lock keeps a running server out). */
export async function openStore(settings: Settings): Promise<Database> {
  // Only an engine plugin needs the plugins loaded; json does not.
  const registry = settings.engine.startsWith("plugins/") ? await loadPlugins(settings.home) : new PluginRegistry();
  const db = createEngine(settings, registry);
  await db.open();
  return db;
}

export function describeCounts(c: ArchiveCounts): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  return [
    n(c.entries, "entry", "entries"),
    n(c.attachments, "attachment"),
    n(c.logs, "log"),
    n(c.users, "user"),
    n(c.files, "file"),
    n(c.backups, "config backup"),
  ].join(", ");
}

/**
 * One terminal line rewritten in place (`\r`) while work runs: entries done / total, then logs.
 * Quiet when stderr is not a terminal (pipes and logs get only the closing summary).
 */
export class ProgressLine {
  private shownAt = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(
    private label: string,
    private write: ((text: string) => void) | null = process.stderr.isTTY ? (t) => void process.stderr.write(t) : null,
    private now: () => number = Date.now,
  ) {}

  show(p: TransferProgress): void {
    if (!this.write) return;
    // At most ten redraws a second, and always the last one, so a fast run is not slowed by the terminal.
    if (p.phase !== "done" && this.now() - this.shownAt < 100) return;
    this.shownAt = this.now();
    this.shown = true;
    this.write(`\r${progressText(this.label, p)}\x1b[K`);
  }

  end(): void {
    if (this.shown && this.write) this.write("\n");
    this.shown = false;
  }
}

export function progressText(label: string, p: TransferProgress): string {
  return `${label}: entries ${p.entries.done}/${p.entries.total}, logs ${p.logs.done}/${p.logs.total}${p.phase === "done" ? ", done" : ""}`;
}
