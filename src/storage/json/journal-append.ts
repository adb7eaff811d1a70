/**
 * How a batch of journal lines reaches the file: encoded as UTF-8 one line at a time into a buffer
 * kept from batch to batch (as large as the largest batch so far, up to twice batchBytes: a batch of
 * one huge attachment gets a buffer of its own, not kept), then appended with write(2) on the calling
 * thread. Joining the lines first and encoding the joined text made two new copies of every batch:
 * with 10 KB attachments, 130 MB per 10,000 passengers, for the kernel to hand out pages for.
 * A promise-based append would wait in the shared I/O thread pool behind other file work; a batch's
 * append is one short call (the fsync after it is the slow part, and that one stays asynchronous).
 */
import { writeSync } from "node:fs";

export class BatchAppender {
  private kept = Buffer.alloc(0);

  constructor(private readonly batchBytes: number) {}

  /** Appends the lines, in order, to the file open at `fd`; returns the bytes written. Throws the OS error. */
  append(fd: number, batch: ReadonlyArray<{ line: string }>): number {
    const bytes = this.encode(batch);
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    return bytes.length;
  }

  private encode(batch: ReadonlyArray<{ line: string }>): Uint8Array {
    let size = 0;
    for (const p of batch) size += Buffer.byteLength(p.line);
    let out = this.kept;
    if (out.length < size) {
      out = Buffer.allocUnsafeSlow(size);
      if (size <= 2 * this.batchBytes) this.kept = out;
    }
    let at = 0;
    for (const p of batch) at += out.write(p.line, at);
    return out.subarray(0, at);
  }
}
