/**
 * Gzip-compressed JSON lines, as streams: the writer batches lines and waits for the reader on the
 * other side (backpressure), the reader yields one parsed line at a time. Neither holds the file.
 * Errors: DBUS_EXP_NOT_ARCHIVE, DBUS_EXP_BAD_RECORD, DBUS_EXP_TRUNCATED (reader).
 */
import { DatabusError } from "../../core/errors";

/** One line may hold one attachment (base64): large, but a hostile file must not grow one without end. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;
const FLUSH_AT = 64 * 1024;
const NEWLINE = 10;

export class LineWriter {
  /** Lines written so far. */
  lines = 0;
  private writer: WritableStreamDefaultWriter<BufferSource>;
  private piped: Promise<void>;
  private batch: string[] = [];
  private batchSize = 0;
  private encoder = new TextEncoder();

  constructor(out: WritableStream<Uint8Array>) {
    const gzip = new CompressionStream("gzip");
    this.piped = gzip.readable.pipeTo(out);
    // A consumer that goes away (a closed download) surfaces through the next write; keep it from
    // also being reported as an unhandled rejection.
    this.piped.catch(() => undefined);
    this.writer = gzip.writable.getWriter();
  }

  async write(value: unknown): Promise<void> {
    const line = `${JSON.stringify(value)}\n`;
    this.lines++;
    this.batch.push(line);
    this.batchSize += line.length;
    if (this.batchSize >= FLUSH_AT) await this.flush();
  }

  /** Ends the gzip stream and waits until the destination has everything. */
  async close(): Promise<void> {
    await this.flush();
    await this.writer.close();
    await this.piped;
  }

  /** Ends the stream as failed, so the destination never looks like a complete archive. */
  async abort(reason: unknown): Promise<void> {
    await this.writer.abort(reason).catch(() => undefined);
    await this.piped.catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.batchSize === 0) return;
    const text = this.batch.join("");
    this.batch = [];
    this.batchSize = 0;
    await this.writer.ready;
    await this.writer.write(this.encoder.encode(text));
  }
}

export interface Line {
  /** 1-based position in the file. */
  number: number;
  value: unknown;
}

/**
 * Yields each line of a gzip JSON-lines stream, parsed. A stream that is not gzip, a damaged one,
 * invalid UTF-8 or JSON, or an over-long line raise catalogue errors naming the line.
 */
export async function* readLines(input: ReadableStream<Uint8Array>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<Line> {
  // lib.dom types the stream as BufferSource in; Bun yields Uint8Array out.
  const reader = input.pipeThrough(new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let parts: Uint8Array[] = [];
  let partsSize = 0;
  let number = 0;
  const tooLong = () =>
    new DatabusError("DBUS_EXP_BAD_RECORD", { record: number + 1, problem: `it is longer than ${Math.round(maxLineBytes / 1048576)} MB` });
  const take = (tail: Uint8Array): Line => {
    if (partsSize + tail.byteLength > maxLineBytes) throw tooLong();
    const bytes = parts.length === 0 ? tail : concat([...parts, tail], partsSize + tail.byteLength);
    parts = [];
    partsSize = 0;
    return { number: ++number, value: parseLine(decoder, bytes) };
  };
  try {
    for (;;) {
      const chunk = await readChunk(reader, number);
      if (chunk === undefined) break;
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
        yield take(chunk.subarray(start, nl));
        start = nl + 1;
      }
      if (start < chunk.byteLength) {
        parts.push(chunk.slice(start));
        partsSize += chunk.byteLength - start;
        if (partsSize > maxLineBytes) throw tooLong();
      }
    }
    if (partsSize > 0) yield take(new Uint8Array(0));
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>, linesRead: number): Promise<Uint8Array | undefined> {
  try {
    const { done, value } = await reader.read();
    return done ? undefined : value;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // zlib says "unexpected end of file" for a cut-off stream and "inflate failed" for bytes it cannot read.
    if (/end of file/i.test(message) && linesRead > 0) throw new DatabusError("DBUS_EXP_TRUNCATED", { records: linesRead }, { cause: e });
    if (linesRead === 0) throw new DatabusError("DBUS_EXP_NOT_ARCHIVE", { reason: "it is empty or not gzip-compressed" }, { cause: e });
    throw new DatabusError("DBUS_EXP_BAD_RECORD", { record: linesRead + 1, problem: "the compressed data is damaged" }, { cause: e });
  }
}

function parseLine(decoder: TextDecoder, bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return INVALID_UTF8;
  }
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

/** Markers the record checker turns into errors with the record number (it knows the context). */
export const INVALID_UTF8 = Symbol("invalid UTF-8");
export const INVALID_JSON = Symbol("invalid JSON");

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
