/**
 * What readers must see of changes that are durable in the journal but not yet in their files.
 *
 * The journal acknowledges a change once its batch is fsync'd and writes the readable files later,
 * in the background (write-behind): several changes to one file (an entry's status through notify,
 * process and two pushes) then cost one file write instead of four, and callers never wait for file
 * writes. Until a change's files are written, its content lives here, keyed by path relative to
 * data/, with the journal sequence number of the change.
 *
 *   peek(rel)        the newest pending change at rel or at one of its folders decides:
 *                    a file write → its content; a removal, or a folder written without that file →
 *                    "absent"; nothing pending → undefined (read the file on disk)
 *   superseded(...)  a newer change at the path or a folder above it exists, so writing this older
 *                    one would be wasted (the newer one is written in the same or a later drain)
 *   settle(...)      the change's files are written: forget its marks unless a newer change replaced them
 */
import { Binary, contentOf, type Content, type JournalOp, type JournalRecord } from "./journal-ops";

interface Mark extends Content {
  seq: number;
  kind: "file" | "removed" | "folder";
  /** Already written, by the folder op that created its folder (see newerContent): its own write is skipped. */
  folded?: boolean;
}

/** `json`: the value a json op holds (its `content` is made from it only when asked). */
export type Peeked = { content: string | Uint8Array; json?: unknown } | "absent" | undefined;

export class Overlay {
  private marks = new Map<string, Mark>();
  /**
   * The newest sequence number of a folder or removal mark ever added: a change at least this new
   * has nothing newer above it (only folders and removals sit above other paths), so superseded()
   * skips walking up its folders, the common case for the status changes of a run.
   */
  private branchSeq = 0;

  get size(): number {
    return this.marks.size;
  }

  /** Records every op of one durable record (paths already relative to data/). */
  add(seq: number, record: JournalRecord): void {
    for (const op of record.ops) {
      if (op.op === "write") this.marks.set(op.path, { seq, kind: "file", text: op.text, base64: op.base64, json: op.json });
      else if (op.op === "remove") {
        this.marks.set(op.path, { seq, kind: "removed" });
        this.branchSeq = seq;
      } else {
        this.marks.set(op.path, { seq, kind: "folder" });
        this.branchSeq = seq;
        for (const f of op.files) this.marks.set(`${op.path}/${f.name}`, { seq, kind: "file", text: f.text, base64: f.base64, json: f.json });
      }
    }
  }

  /** `share`: held bytes as they are, not a copy, for a caller that only reads them (never hands them on). */
  peek(rel: string, share = false): Peeked {
    const own = this.marks.get(rel);
    let newest = own;
    for (let cut = rel.lastIndexOf("/"); cut > 0; cut = rel.lastIndexOf("/", cut - 1)) {
      const above = this.marks.get(rel.slice(0, cut));
      // Ties go to the deeper mark: a folder op marks its own files with the folder's sequence number.
      if (above && above.kind !== "file" && (!newest || above.seq > newest.seq)) newest = above;
    }
    if (!newest) return undefined;
    if (newest !== own || newest.kind !== "file") return "absent";
    // Each reader its own copy of held bytes (Binary): the file is written later from them as they are now.
    if (newest.base64 instanceof Binary) return { content: share ? newest.base64.bytes : Buffer.from(newest.base64.bytes) };
    if (newest.json === undefined) return { content: contentOf(newest) };
    const mark = newest;
    return {
      json: mark.json,
      get content() {
        return contentOf(mark);
      },
    };
  }

  /** True when a change newer than `seq` is pending at rel or at a folder above it. */
  superseded(seq: number, rel: string): boolean {
    if ((this.marks.get(rel)?.seq ?? 0) > seq) return true;
    if (this.branchSeq <= seq) return false;
    for (let cut = rel.lastIndexOf("/"); cut > 0; cut = rel.lastIndexOf("/", cut - 1))
      if ((this.marks.get(rel.slice(0, cut))?.seq ?? 0) > seq) return true;
    return false;
  }

  /**
   * The content of a newer pending write of `rel` than `seq`, if any, taken by a folder op so a new
   * entry's folder is written once with its latest files (seat, then four status changes: one folder).
   */
  newerContent(seq: number, rel: string): (Content & { seq: number }) | undefined {
    const mark = this.marks.get(rel);
    return mark && mark.kind === "file" && mark.seq > seq ? mark : undefined;
  }

  /** Marks the newer write of `rel` (as returned by newerContent) as written. */
  fold(rel: string, seq: number): void {
    const mark = this.marks.get(rel);
    if (mark && mark.seq === seq) mark.folded = true;
  }

  /** True when the write of `rel` at `seq` was already written by its folder's op. */
  folded(seq: number, rel: string): boolean {
    const mark = this.marks.get(rel);
    return mark !== undefined && mark.seq === seq && mark.folded === true;
  }

  /** Forgets the marks of a record whose files are written (marks of newer changes stay). */
  settle(seq: number, record: JournalRecord): void {
    for (const op of record.ops) {
      this.forget(op.path, seq);
      if (op.op === "folder") for (const f of op.files) this.forget(`${op.path}/${f.name}`, seq);
    }
  }

  private forget(path: string, seq: number): void {
    if (this.marks.get(path)?.seq === seq) this.marks.delete(path);
  }
}

/** The path an op's unit of ordering is keyed by: ops of one queue entry stay in order, others per path. */
export function orderingKey(op: JournalOp): string | undefined {
  const parts = op.path.split("/");
  // clients/<client>/queue/<id>/… : the whole entry folder is one unit (a folder op, then its files).
  if (parts[0] === "clients" && parts[2] === "queue" && parts.length >= 4) return parts.slice(0, 4).join("/");
  // clients/<client>/log/<file>, clients/<client>/state/<file>: one file each.
  if (parts.length >= 4) return op.path;
  // Anything higher up (a whole client folder) orders against everything: no key.
  return undefined;
}
