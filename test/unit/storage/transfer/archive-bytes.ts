/** Test support: export a client to bytes, and read, edit and rewrite an archive's lines. */
import type { Database } from "../../../../src/storage/database";
import { exportClient } from "../../../../src/storage/transfer/export";
import type { OnProgress } from "../../../../src/storage/transfer/format";

export const EXPORTED_AT = "2025-01-15T10:00:00.000Z";

export async function exportBytes(db: Database, client: string, onProgress?: OnProgress): Promise<Uint8Array<ArrayBuffer>> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const collected = new Response(readable).arrayBuffer();
  await exportClient(db, client, writable, onProgress, { version: "9.9.9-test", now: EXPORTED_AT });
  return new Uint8Array(await collected);
}

export const streamOf = (bytes: Uint8Array): ReadableStream<Uint8Array> => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();

/** The archive's records, parsed. */
export const recordsOf = (bytes: Uint8Array): Array<Record<string, unknown>> =>
  new TextDecoder()
    .decode(Bun.gunzipSync(bytes as Uint8Array<ArrayBuffer>))
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));

/** An archive made of these records (objects are JSON-encoded, strings written as they are). */
export const archiveOf = (records: Array<unknown>): Uint8Array =>
  Bun.gzipSync(new TextEncoder().encode(records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n"));
