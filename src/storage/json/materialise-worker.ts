/**
 * The worker thread that writes the json store's files behind its journal (write-behind.ts), so the
 * file system calls of materialising (a folder per new entry, a status file per change) run beside
 * the dispatcher instead of on its thread. One request at a time: { id, dataDir, text, blobs } in,
 * { id, dirty, failure? } out. The tasks come as one JSON text, mostly the journal lines already
 * made (encodeTasks): cloning a status value field by field cost the sending thread ~10 µs. Bytes
 * (attachments) come beside the text, in one transferred buffer.
 */
import { applyTasks, ApplyFailure, clearSpares, decodeTasks } from "./apply-order";
import { blockingCalls } from "./file-calls";
import { lowerThreadPriority, WRITER_NICENESS } from "./thread-priority";

declare const self: Worker;

// This thread gives way to the dispatcher's (thread-priority.ts says why).
lowerThreadPriority(WRITER_NICENESS);

export interface MaterialiseRequest {
  id: number;
  dataDir: string;
  /** ApplyTask[] as encodeTasks() writes them, and the bytes they refer to (transferred). */
  text: string;
  blobs: Uint8Array;
  /** Instead of tasks: delete the spare temps now (a store is closing; materialiser.ts). */
  clearSpares?: true;
}

export interface MaterialiseReply {
  id: number;
  dirty: string[];
  failure?: { path: string; code?: string; message: string };
}

self.onmessage = async (event: MessageEvent<MaterialiseRequest>) => {
  const { id, dataDir } = event.data;
  const dirty = new Set<string>();
  let failure: MaterialiseReply["failure"];
  try {
    // Blocking calls: this thread has nothing else to do meanwhile (file-calls.ts).
    if (event.data.clearSpares) await clearSpares();
    else await applyTasks(dataDir, decodeTasks(event.data), dirty, blockingCalls);
  } catch (e) {
    const f = e instanceof ApplyFailure ? e : new ApplyFailure(dataDir, e);
    const reason = f.reason as NodeJS.ErrnoException | undefined;
    failure = { path: f.path, code: reason?.code, message: reason?.message ?? String(reason) };
  }
  const reply: MaterialiseReply = { id, dirty: [...dirty], failure };
  postMessage(reply);
};
