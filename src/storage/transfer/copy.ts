/**
 * Copying one client from one engine to another (`databus migrate` and the Export page): the client is
 * streamed through the archive format (export into import, no file in between), then the counts are
 * compared on both sides. The source is only read. Both engines must be open.
 */
import { ENTRY_STATES } from "../../core/queue-entry";
import type { Database } from "../database";
import { exportClient } from "./export";
import type { ArchiveCounts, OnProgress } from "./format";
import { importClient } from "./import";

export interface CopyResult {
  counts: ArchiveCounts;
  /** One sentence per count that differs between source and target; empty when every count matches. */
  mismatches: string[];
}

export async function copyClient(source: Database, target: Database, client: string, options: { version: string; onProgress?: OnProgress }): Promise<CopyResult> {
  const pipe = new TransformStream<Uint8Array, Uint8Array>();
  const [, result] = await Promise.all([
    exportClient(source, client, pipe.writable, undefined, { version: options.version }),
    importClient(target, pipe.readable, { into: client }, options.onProgress),
  ]);
  return { counts: result.counts, mismatches: await compareCounts(source, target, client) };
}

/** The count check: entries by state, logs and users on both sides. */
export async function compareCounts(source: Database, target: Database, client: string): Promise<string[]> {
  const out: string[] = [];
  const [a, b] = await Promise.all([source.countEntries(client), target.countEntries(client)]);
  for (const state of ENTRY_STATES)
    if (a[state] !== b[state]) out.push(`Client ${client}: ${a[state]} ${state} entries in the source but ${b[state]} in the target.`);
  const page = { offset: 0, limit: 1 };
  const [la, lb] = await Promise.all([source.listLogs(client, {}, page), target.listLogs(client, {}, page)]);
  if (la.total !== lb.total) out.push(`Client ${client}: ${la.total} logs in the source but ${lb.total} in the target.`);
  const [ua, ub] = await Promise.all([source.listUsers(client), target.listUsers(client)]);
  if (ua.length !== ub.length) out.push(`Client ${client}: ${ua.length} users in the source but ${ub.length} in the target.`);
  return out;
}
