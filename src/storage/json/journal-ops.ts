/**
 * Journal record types and how one record is materialised into the readable files (temp + rename,
 * no fsync: the journal holds the truth until a checkpoint). Knows nothing about batching.
 *
 * One line of data/journal.jsonl = one JournalRecord = one acknowledged change:
 *   { "ops": JournalOp[] }        applied in order; every op carries the FULL new content (idempotent)
 *
 *   write   { op, path, text } | { op, path, base64 } | { op, path, json }
 *           in:  path relative to data/, the whole new content of one file; `json` is a value the file
 *                holds as indented JSON (the queue's passenger.json and status.json: the journal line
 *                stays compact and the indenting is done by the writer thread, not the dispatcher's;
 *                in memory the value may be a JsonText, written into the line as it is)
 *           out: the file replaced by temp + rename (parents created); temp beside the queue for entry files;
 *                the rename is an exchange when the writer keeps spare temps (spares.ts, exchange.ts)
 *   folder  { op, path, files: [{ name, text | base64 | json }] }
 *           in:  a folder (a queue entry) and every file in it, names relative to it ("attachments/a.txt")
 *           out: the folder built under a temp name and renamed into place (replacing any earlier one)
 *   remove  { op, path }
 *           in:  a file or folder
 *           out: renamed away (atomic for readers), then deleted; missing is fine
 *
 * Errors: the OS error of a failed write, mapped by the caller (writeFailure); replay rejects a record
 * whose path leaves data/ (DBUS_STO_CORRUPT_FILE).
 */
import { dirname, isAbsolute, join, normalize, relative, sep } from "node:path";
import { DatabusError } from "../../core/errors";
import { exchange } from "./exchange";
import { promiseCalls, type FileCalls } from "./file-calls";
import { tempName } from "./files";
import type { Spares } from "./spares";

/**
 * A JSON value the store already holds as compact text (the queue keeps each passenger so): a record's
 * journal line takes the text as it is (recordLine) instead of stringifying a parsed copy again, and
 * nothing parses it unless a reader asks. Only ever made from JSON.stringify's output, so it is one
 * line of valid JSON. Anything else that stringifies it (toJSON) gets the value: slower, same text.
 */
export class JsonText {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** A caller's own copy of a json op's value (the op keeps its value until the file is written). */
export const copyJsonValue = <T>(v: unknown): T => JSON.parse(v instanceof JsonText ? v.text : JSON.stringify(v)) as T;

/**
 * A file's bytes as the store holds them until the file is written: readers get copies of them and
 * the writer thread is sent them as they are (encodeTasks). Only the journal line has them as base64,
 * the `base64` field a replay reads back (toJSON, and opText without JSON.stringify's scan). Held as
 * that base64 text instead, every reader and the writer decoded it again: with a 10 KB attachment per
 * passenger, ~1 s of the dispatcher's thread per 10,000.
 */
export class Binary {
  constructor(readonly bytes: Uint8Array) {}

  toJSON(): string {
    return base64Of(this.bytes);
  }
}

const base64Of = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");

/** A file's content in a record: text, bytes (base64 in a line; Binary in memory), or a value written as indented JSON (or its JsonText). */
export interface Content {
  text?: string;
  base64?: string | Binary;
  json?: unknown;
}

export interface JournalFile extends Content {
  name: string;
}

export type JournalOp =
  | ({ op: "write"; path: string } & Content)
  | { op: "folder"; path: string; files: JournalFile[] }
  | { op: "remove"; path: string };

export interface JournalRecord {
  ops: JournalOp[];
}

/** Text stays text in the journal (readable); bytes go as base64 (held as Binary until written). */
export function contentFields(content: string | Uint8Array): { text: string } | { base64: Binary } {
  // A copy: the caller may change its bytes before the file is written.
  return typeof content === "string" ? { text: content } : { base64: new Binary(new Uint8Array(content)) };
}

/** The text of a file a `json` op writes: indented, because people read these files. */
export const prettyJson = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** The content to write (bytes as held, not copied: writers only read them). */
export const contentOf = (c: Content): string | Uint8Array =>
  c.json !== undefined
    ? prettyJson(c.json)
    : c.base64 instanceof Binary
      ? c.base64.bytes
      : c.base64 !== undefined
        ? Buffer.from(c.base64, "base64")
        : (c.text ?? "");

/** The journal line of a record (with its newline): JSON.stringify's, with JsonText values copied in as they are. */
export const recordLine = (record: JournalRecord): string => `{"ops":${opsText(record.ops)}}\n`;

/** Bytes to be laid end to end in one buffer, and how many so far. */
export interface Blobs {
  parts: Uint8Array[];
  size: number;
}

/**
 * The ops as a JSON array, JsonText values copied in as they are. With `blobs`, Binary contents are
 * left out of the text as `"blob":[start,end]` (their place in the buffer `blobs` becomes) and their
 * bytes added to it (the writer thread's tasks, encodeTasks).
 */
export const opsText = (ops: readonly JournalOp[], blobs?: Blobs): string => `[${ops.map((op) => opText(op, blobs)).join(",")}]`;

/** Content written without JSON.stringify: JsonText as its text, Binary as base64 (no escaping to scan for) or a blob. */
const held = (c: Content): boolean => c.json instanceof JsonText || c.base64 instanceof Binary;

function opText(op: JournalOp, blobs: Blobs | undefined): string {
  if (op.op === "write" && held(op)) return `{"op":"write","path":${JSON.stringify(op.path)},${heldText(op, blobs)}}`;
  if (op.op !== "folder" || !op.files.some(held)) return JSON.stringify(op);
  const files = op.files.map((f) => (held(f) ? `{"name":${JSON.stringify(f.name)},${heldText(f, blobs)}}` : JSON.stringify(f)));
  return `{"op":"folder","path":${JSON.stringify(op.path)},"files":[${files.join(",")}]}`;
}

function heldText(c: Content, blobs: Blobs | undefined): string {
  if (c.json instanceof JsonText) return `"json":${c.json.text}`;
  const bytes = (c.base64 as Binary).bytes;
  if (!blobs) return `"base64":"${base64Of(bytes)}"`;
  const start = blobs.size;
  blobs.parts.push(bytes);
  blobs.size += bytes.byteLength;
  return `"blob":[${start},${blobs.size}]`;
}

/** A `.` or `..` segment, an empty segment (`//`), a trailing slash or a backslash. */
const SUSPICIOUS = /\/\.{1,2}(\/|$)|\/\/|\/$|\\/;

/** A path under data/ as the journal stores it; throws if it is outside (a bug, or a damaged journal). */
export function relativePath(dataDir: string, path: string): string {
  // The common case, cheaply: under data/, with no segment that could climb out or needs normalising.
  if (path.startsWith(`${dataDir}/`) && sep === "/" && !SUSPICIOUS.test(path.slice(dataDir.length))) return path.slice(dataDir.length + 1);
  if (!isAbsolute(path) && sep === "/" && path !== "" && !SUSPICIOUS.test(`/${path}`)) return path;
  const rel = isAbsolute(path) ? relative(dataDir, path) : normalize(path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel) || rel.split(/[\\/]/).includes(".."))
    throw new DatabusError("DBUS_STO_CORRUPT_FILE", { path, reason: "a journal record points outside the data folder" });
  return rel.split(sep).join("/");
}

/**
 * Temp files of entry files go to the queue folder, which open() sweeps: a crash then leaves no
 * leftover inside one of thousands of entry folders (see files.ts writeAtomic).
 */
function tempDirOf(dataDir: string, rel: string): string {
  const parts = rel.split("/");
  if (parts[0] === "clients" && parts[2] === "queue" && parts.length > 4) return join(dataDir, ...parts.slice(0, 3));
  return dirname(join(dataDir, rel));
}

/**
 * Applies one record's ops in order. `dirty` collects every path whose data or names are not yet
 * fsync'd, for a checkpoint that cannot use syncfs. `fs`: blocking calls in the writer thread (file-calls.ts).
 */
export async function applyRecord(dataDir: string, record: JournalRecord, dirty: Set<string>, spares?: Spares, fs: FileCalls = promiseCalls): Promise<void> {
  for (const op of record.ops) {
    const rel = relativePath(dataDir, op.path);
    const full = join(dataDir, rel);
    if (op.op === "write") await writeFileOp(fs, full, tempDirOf(dataDir, rel), contentOf(op), dirty, spares);
    else if (op.op === "folder") await writeFolderOp(fs, full, op.files, dirty);
    else await removeOp(fs, full, dirty);
  }
}

/**
 * Temp + rename. With a spare pool, the rename is an exchange where the system has one: the temp
 * name then holds the old file, goes back to the pool and is written over next time (exchange.ts).
 */
async function writeFileOp(fs: FileCalls, full: string, tempDir: string, content: string | Uint8Array, dirty: Set<string>, spares?: Spares): Promise<void> {
  const tmp = await writtenTemp(fs, full, tempDir, content, spares);
  try {
    if (spares && exchange(tmp, full)) await spares.give(tempDir, tmp);
    else await renameMaking(fs, tmp, full);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  dirty.add(full).add(dirname(full));
}

/** A temp file in tempDir holding `content`: a spare written over, or a new one. */
async function writtenTemp(fs: FileCalls, full: string, tempDir: string, content: string | Uint8Array, spares?: Spares): Promise<string> {
  const spare = spares?.take(tempDir);
  if (spare !== undefined) {
    try {
      await fs.overwrite(spare, content);
      return spare;
    } catch (e) {
      await fs.rm(spare, { force: true }).catch(() => undefined);
      if (!isMissing(e)) throw e;
      // The folder went away (its client was deleted): so did every spare in it.
      spares!.forget(tempDir);
    }
  }
  const tmp = tempName(full, tempDir);
  await writeFileMaking(fs, tmp, content);
  return tmp;
}

const isMissing = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === "ENOENT";

/** The folder usually exists (an entry's status.json is rewritten often): create it only when missing. */
async function writeFileMaking(fs: FileCalls, path: string, content: string | Uint8Array): Promise<void> {
  try {
    await fs.writeFile(path, content);
  } catch (e) {
    if (!isMissing(e)) throw e;
    await fs.mkdir(dirname(path), { recursive: true });
    await fs.writeFile(path, content);
  }
}

async function renameMaking(fs: FileCalls, from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (e) {
    if (!isMissing(e)) throw e;
    await fs.mkdir(dirname(to), { recursive: true });
    await fs.rename(from, to);
  }
}

async function writeFolderOp(fs: FileCalls, full: string, files: JournalFile[], dirty: Set<string>): Promise<void> {
  if (await holdsExactly(fs, full, files)) {
    // Still synced by the next checkpoint: written before a crash is not yet durable.
    markFolderDirty(full, files, dirty);
    return;
  }
  const tmp = tempName(full);
  try {
    await fs.mkdir(tmp, { recursive: true });
    for (const f of files) {
      const rel = relativePath(tmp, f.name);
      await writeFileMaking(fs, join(tmp, rel), contentOf(f));
    }
    await replaceFolder(fs, tmp, full);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  markFolderDirty(full, files, dirty);
}

function markFolderDirty(full: string, files: JournalFile[], dirty: Set<string>): void {
  dirty.add(dirname(full)).add(full);
  for (const f of files) dirty.add(join(full, f.name)).add(dirname(join(full, f.name)));
}

/**
 * True when the folder exists and holds these files and nothing else, byte for byte. A replay after
 * a crash under load finds most entry folders already written as their op has them. Replacing each
 * (removing the old folder, renaming the new one in) made such a replay of 30,000 kept entries take
 * 15–23 s instead of 7–11 s: on an ext4 without a journal every inode freed slows each file made
 * after it (exchange.ts). A new entry's folder does not exist: one failed open.
 */
async function holdsExactly(fs: FileCalls, full: string, files: JournalFile[]): Promise<boolean> {
  const present = await fs.filesUnder(full);
  if (present === undefined || present.length !== files.length) return false;
  const names = new Set(present);
  for (const f of files) {
    const rel = relativePath(full, f.name);
    if (!names.has(rel)) return false;
    const want = contentOf(f);
    const have = await fs.readFile(join(full, rel));
    if (!Buffer.from(have.buffer, have.byteOffset, have.byteLength).equals(typeof want === "string" ? Buffer.from(want) : want)) return false;
  }
  return true;
}

/** Renames the built folder into place; replay may find it already there (written before the crash): replace it whole. */
async function replaceFolder(fs: FileCalls, tmp: string, full: string): Promise<void> {
  try {
    await renameMaking(fs, tmp, full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw e;
    await fs.rm(full, { recursive: true, force: true });
    await fs.rename(tmp, full);
  }
}

async function removeOp(fs: FileCalls, full: string, dirty: Set<string>): Promise<void> {
  const doomed = tempName(full);
  try {
    await fs.rename(full, doomed);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return;
    throw e;
  }
  dirty.add(dirname(full));
  await fs.rm(doomed, { recursive: true, force: true });
}

/** Shape check of one parsed line; a line that fails it is treated like a torn one. */
export function isJournalRecord(v: unknown): v is JournalRecord {
  if (typeof v !== "object" || v === null || !Array.isArray((v as JournalRecord).ops)) return false;
  return (v as JournalRecord).ops.every(
    (op) => typeof op === "object" && op !== null && typeof op.path === "string" && ["write", "folder", "remove"].includes(op.op),
  );
}
