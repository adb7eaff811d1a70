/**
 * The queue of every client: seat with dedupe, reads, step changes, passenger changes, delete and
 * purge. Lists and counts come from the memory index; files are read only for the entries returned,
 * and recently used entries come from the entry cache. Writes to one entry are serialised; seats of
 * one client are serialised (dedupe needs it). Every write goes through the journal (group commit),
 * so concurrent callers share one fsync; every read goes through it too (its files are written behind).
 */
import { existsSync } from "node:fs";
import { DatabusError } from "../../core/errors";
import { iso, type Clock } from "../../core/clock";
import { isUuid } from "../../core/ids";
import { attachmentNameProblem, sameContent, type Attachment, type AttachmentInfo, type PassengerData } from "../../core/passenger";
import { entryState, type EntryState, type QueueEntry } from "../../core/queue-entry";
import type { StepChange } from "../../core/step-status";
import type { EntryFilter, EntryPage, EntrySort, Page, SeatRequest, SeatResult, StepUpdate } from "../database";
import type { Clients } from "./clients";
import { checkAttachmentNames, checkSeatable, copyStatus, EntryVersion, lazyEntry, nextPassenger, nextStatus, toEntry } from "./entry-changes";
import { EntryCache, metaOf, toMeta, type CachedEntry } from "./entry-cache";
import {
  attachmentInfo,
  entryFolderOp,
  passengerOp,
  readAttachmentContent,
  readStoredPassenger,
  readStoredStatus,
  replaceAttachmentsOps,
  statusOp,
  storedPassenger,
  passengerRecord,
  type StoredPassenger,
  type StoredStatus,
} from "./entry-files";
import type { Journal } from "./journal";
import { JsonText } from "./journal-ops";
import type { Layout } from "./layout";
import { sweepTemps } from "./files";
import { ClientIndex, dedupeKey, type IndexItem, summariseSteps } from "./memory-index";
import { matchesFolders, saveSnapshot } from "./queue-snapshot";
import { readEntryItem, rebuildIndex, indexItem, type RebuildOptions } from "./queue-index";
import { quarantine, type Quarantined } from "./quarantine";
import type { Serial } from "./serial";

/** Entries kept parsed in memory: a run's whole batch of deliveries (DELIVERY_CHUNK × a few) fits with room. */
const CACHED_ENTRIES = 12_000;

export class Queue {
  private indexes = new Map<string, ClientIndex>();
  private cache = new EntryCache(CACHED_ENTRIES);
  /** Bumped whenever an index is set or dropped; with the indexes' change counts it tells whether the snapshot is current. */
  private generation = 0;
  private savedVersion: string | undefined;

  constructor(
    private layout: Layout,
    private clock: Clock,
    private clients: Clients,
    private serial: Serial,
    private journal: Journal,
  ) {}

  /**
   * Loads the client's index from the snapshot (queue-snapshot.ts), reading again only the entries the
   * replayed journals touched, when the entry folders then match it; else rebuilds it from the folders,
   * damaged entry folders going to quarantine (returned for the log). `rebuilt` says which way it went.
   */
  async load(
    client: string,
    snapshot?: IndexItem[],
    touched?: Set<string> | "all",
    rebuild?: RebuildOptions,
  ): Promise<{ quarantined: Quarantined[]; rebuilt: boolean }> {
    if (snapshot && touched !== "all") {
      const ids = (await sweepTemps(this.layout.queueDir(client))).filter(isUuid);
      const items = fromSnapshot(this.layout, client, snapshot, touched);
      const index = new ClientIndex();
      if (items) index.addAll(items);
      if (items && matchesFolders(index, ids)) {
        this.setIndex(client, index);
        return { quarantined: [], rebuilt: false };
      }
    }
    const { index, damaged } = await rebuildIndex(this.layout, client, rebuild);
    this.setIndex(client, index);
    const at = iso(this.clock.now());
    const moved: Quarantined[] = [];
    for (const d of damaged) moved.push(await quarantine(this.layout, client, `queue/${d.id}`, d.reason, at));
    return { quarantined: moved, rebuilt: true };
  }

  /**
   * Saves every client's index (queue-snapshot.ts): only when the files of every change it holds are
   * durable. Skipped when no index changed since the last save (a checkpoint of log writes alone):
   * at 200,000 entries a save costs ~0.2 s.
   */
  async saveSnapshot(): Promise<void> {
    const version = `${this.generation}:${[...this.indexes.values()].reduce((n, index) => n + index.changes, 0)}`;
    if (version === this.savedVersion) return;
    await saveSnapshot(this.layout.dataDir, this.indexes);
    this.savedVersion = version;
  }

  /** Entries in every client's index. */
  get size(): number {
    let n = 0;
    for (const index of this.indexes.values()) n += index.size;
    return n;
  }

  forget(client: string): void {
    this.generation++;
    this.indexes.delete(client);
    this.cache.forgetClient(client);
  }

  async seat(client: string, requests: SeatRequest[]): Promise<SeatResult> {
    const index = this.index(client);
    requests.forEach(checkSeatable);
    return this.serial.run(`seat:${client}`, async () => {
      const fresh: SeatRequest[] = [];
      const duplicates: SeatRequest[] = [];
      const keys = new Set<string>();
      for (const r of requests) {
        const key = dedupeKey(r.passenger.source_system, r.passenger.external_id);
        if (index.idOfKey(key) !== undefined || keys.has(key) || index.has(r.passenger.id)) duplicates.push(r);
        else fresh.push(r), keys.add(key);
      }
      const seatedAt = iso(this.clock.now());
      // One journal record per entry, all committed at once: they share a batch (one fsync for the seat).
      const written = await Promise.allSettled(
        fresh.map(async (r) => {
          const steps = r.steps.map((s) => ({ ...s }));
          // Compact text for the cache and the journal op (written into its line as it is).
          const stored = storedPassenger(r.passenger);
          const passengerText = JSON.stringify(stored);
          // An import passes the times the entry had; completed_at only means something on a complete entry.
          const at = r.seated_at ?? seatedAt;
          const completedAt = entryState(steps) === "complete" ? (r.completed_at ?? at) : null;
          const status: StoredStatus = { seated_at: at, completed_at: completedAt, steps };
          await this.journal.commit([entryFolderOp(this.layout, client, stored.id, new JsonText(passengerText), status, r.passenger.attachments)]);
          this.cache.set(client, stored.id, { passengerText, status, meta: toMeta(stored) });
          return toEntry(stored, status);
        }),
      );
      const failure = written.find((w): w is PromiseRejectedResult => w.status === "rejected")?.reason;
      const seated = written.flatMap((w) => (w.status === "fulfilled" ? [w.value] : []));
      // Entries acknowledged are durable whatever happens next, so the index learns them even on failure.
      for (const e of seated) index.add(indexItem(e.passenger, e));
      if (failure) throw failure;
      return { seated, duplicates };
    });
  }

  async getEntry(client: string, id: string): Promise<QueueEntry | undefined> {
    if (!isUuid(id) || !this.index(client).has(id)) return undefined;
    const cached = await this.read(client, id);
    return cached && lazyEntry(cached, copyStatus(cached.status));
  }

  async getPassenger(client: string, id: string): Promise<PassengerData> {
    const stored = await this.mustRead(client, id);
    const attachments: Attachment[] = [];
    for (const info of stored.attachments) {
      const a = await readAttachmentContent(this.journal, this.layout, client, id, info);
      if (a) attachments.push(a);
    }
    return { ...passengerRecord(stored), attachments };
  }

  async readAttachment(client: string, id: string, name: string): Promise<Attachment | undefined> {
    if (!isUuid(id) || !this.index(client).has(id) || attachmentNameProblem(name)) return undefined;
    const cached = await this.read(client, id);
    const info = cached && metaOf(cached).attachments.find((a) => a.name === name);
    return info ? readAttachmentContent(this.journal, this.layout, client, id, info) : undefined;
  }

  async listEntries(client: string, filter: EntryFilter, page: Page, sort?: EntrySort): Promise<EntryPage> {
    const { total, ids } = this.index(client).list(filter, page, sort);
    const entries = await Promise.all(ids.map((id) => this.getEntry(client, id)));
    return { total, entries: entries.filter((e): e is QueueEntry => e !== undefined) };
  }

  async countEntries(client: string, definition?: string): Promise<Record<EntryState, number>> {
    return this.index(client).count(definition);
  }

  async listDue(client: string, definition: string, nowIso: string, limit: number): Promise<string[]> {
    return this.index(client).listDue(definition, nowIso, limit);
  }

  async updateStep(client: string, id: string, stepIndex: number, change: StepChange): Promise<QueueEntry> {
    const index = this.index(client);
    return this.serial.run(`entry:${client}/${id}`, async () => {
      const cached = await this.mustReadEntry(client, id);
      const next = nextStatus(cached.status, id, stepIndex, change);
      await this.journal.commit([statusOp(this.layout, client, id, next)]);
      const entry = { passengerText: cached.passengerText, status: next, meta: cached.meta };
      this.cache.set(client, id, entry);
      const { state, due } = summariseSteps(next.steps);
      index.update(id, { state, due, completed_at: next.completed_at });
      return lazyEntry(entry, copyStatus(next));
    });
  }

  /**
   * Step changes to many entries in one turn of their locks and one journal commit (one record per
   * entry, so the files are still written per entry). A change the step table refuses, or to an
   * entry that is gone, fails alone; a failed commit fails every change it carried.
   */
  async updateSteps(client: string, updates: StepUpdate[]): Promise<Array<QueueEntry | Error>> {
    const index = this.index(client);
    const ids = [...new Set(updates.map((u) => u.id))];
    return this.serial.runAll(
      ids.map((id) => `entry:${client}/${id}`),
      async () => {
        const versions = new Map<string, EntryVersion | Error>();
        await Promise.all(
          ids.map(async (id) => {
            const read = await this.mustReadEntry(client, id).catch(toError);
            versions.set(id, read instanceof Error ? read : new EntryVersion(id, read));
          }),
        );
        // Before any update applies: attachments are compared with what the entries hold now.
        const unchanged = new Map<StepUpdate, Set<string>>();
        for (const u of updates) {
          const version = versions.get(u.id);
          if (u.passenger && version instanceof EntryVersion)
            unchanged.set(u, await this.unchangedAttachments(client, u.id, metaOf(version.cached).attachments, u.passenger.attachments));
        }
        const results = updates.map((u): QueueEntry | Error => {
          const version = versions.get(u.id)!;
          if (version instanceof Error) return version;
          try {
            return version.apply(u, unchanged.get(u));
          } catch (e) {
            return toError(e);
          }
        });
        const changed = [...versions.values()].filter((v): v is EntryVersion => !(v instanceof Error) && v.changed);
        const committed = await Promise.allSettled(this.journal.commitEach(changed.map((v) => v.ops(this.layout, client))));
        // An entry whose record is durable is current in cache and index even when another's failed.
        const failed = new Map<string, Error>();
        changed.forEach((v, i) => {
          const outcome = committed[i]!;
          if (outcome.status === "rejected") return void failed.set(v.id, toError(outcome.reason));
          this.cache.set(client, v.id, v.cached);
          const { state, due } = summariseSteps(v.cached.status.steps);
          index.update(v.id, { state, due, completed_at: v.cached.status.completed_at });
        });
        return results.map((r, i) => (r instanceof Error ? r : (failed.get(updates[i]!.id) ?? r)));
      },
    );
  }

  async updatePassenger(client: string, id: string, payload: unknown, attachments: Attachment[]): Promise<void> {
    this.index(client);
    checkAttachmentNames(attachments);
    await this.serial.run(`entry:${client}/${id}`, async () => {
      const cached = await this.mustReadEntry(client, id);
      const previous = metaOf(cached).attachments;
      const next = nextPassenger(metaOf(cached), payload, attachments);
      const unchanged = await this.unchangedAttachments(client, id, previous, attachments);
      await this.journal.commit(replaceAttachmentsOps(this.layout, client, id, new JsonText(next.text), previous, attachments, unchanged));
      this.cache.set(client, id, { passengerText: next.text, status: cached.status, meta: next.meta });
    });
  }

  async linkLog(client: string, id: string, logId: string): Promise<void> {
    this.index(client);
    await this.serial.run(`entry:${client}/${id}`, async () => {
      const cached = await this.mustReadEntry(client, id);
      if (metaOf(cached).log_ids.includes(logId)) return;
      const stored = JSON.parse(cached.passengerText) as StoredPassenger;
      const next = { ...stored, log_ids: [...stored.log_ids, logId] };
      const nextText = JSON.stringify(next);
      await this.journal.commit([passengerOp(this.layout, client, id, new JsonText(nextText))]);
      this.cache.set(client, id, { passengerText: nextText, status: cached.status, meta: toMeta(next) });
    });
  }

  /** Deleting an entry that is not there is not an error (bulk deletes race with purge). */
  async deleteEntry(client: string, id: string): Promise<void> {
    const index = this.index(client);
    if (!isUuid(id)) return;
    await this.serial.run(`entry:${client}/${id}`, async () => {
      // Through the journal: a replay must not bring back files of an entry deleted after them.
      await this.journal.commit([{ op: "remove", path: this.layout.entryDir(client, id) }]);
      index.remove(id);
      this.cache.delete(client, id);
    });
  }

  async purgeCompleted(client: string, definition: string, beforeIso: string): Promise<number> {
    const ids = this.index(client).completedBefore(definition, beforeIso);
    await Promise.all(ids.map((id) => this.deleteEntry(client, id)));
    return ids.length;
  }

  /**
   * The attachments of a passenger change that hold what the entry has already (same name, media type,
   * size and content): their files are not written again. A processor that changes only the payload
   * hands back every attachment as it was, and writing a 10 KB attachment again doubled what such a
   * run put through the journal and the disk. Never throws: a failed read counts as changed.
   */
  private async unchangedAttachments(client: string, id: string, stored: readonly AttachmentInfo[], next: readonly Attachment[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const a of next) {
      // A stored name is a valid one, so a match needs no name check of its own.
      const info = stored.find((s) => s.name === a.name);
      if (!info) continue;
      const candidate = attachmentInfo(a);
      if (candidate.media_type !== info.media_type || candidate.size !== info.size || candidate.text !== info.text) continue;
      // Compared, never handed on: pending bytes are not copied for it.
      const current = await readAttachmentContent(this.journal, this.layout, client, id, info, true).catch(() => undefined);
      if (current && sameContent(current.content, a.content)) out.add(a.name);
    }
    return out;
  }

  private index(client: string): ClientIndex {
    this.clients.assertKnown(client);
    let index = this.indexes.get(client);
    if (!index) this.setIndex(client, (index = new ClientIndex()));
    return index;
  }

  private setIndex(client: string, index: ClientIndex): void {
    this.generation++;
    this.indexes.set(client, index);
  }

  /** For readers without the entry's lock (nothing is cached). */
  private async mustRead(client: string, id: string): Promise<StoredPassenger> {
    const cached = isUuid(id) && this.index(client).has(id) ? await this.read(client, id) : undefined;
    if (!cached) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
    return JSON.parse(cached.passengerText) as StoredPassenger;
  }

  /** For writers, who hold the entry's lock: what they read is current, so it may be cached. */
  private async mustReadEntry(client: string, id: string): Promise<CachedEntry> {
    // Only ids in the index (never a path a caller made up) are read.
    const known = this.index(client).has(id);
    const hit = known ? this.cache.get(client, id) : undefined;
    if (hit) return hit;
    const read = known ? await this.read(client, id) : undefined;
    if (!read) throw new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client, id });
    this.cache.set(client, id, read);
    return read;
  }

  /**
   * The entry from the cache, or from its two files. Not cached here: a reader without the entry's
   * lock may finish after a writer and would put back what the writer replaced. Callers must not
   * change what they get.
   */
  private async read(client: string, id: string): Promise<CachedEntry | undefined> {
    const hit = this.cache.get(client, id);
    if (hit) return hit;
    const [p, status] = await Promise.all([
      readStoredPassenger(this.journal, this.layout, client, id),
      readStoredStatus(this.journal, this.layout, client, id),
    ]);
    return p && status ? { passengerText: JSON.stringify(p), status, meta: toMeta(p) } : undefined;
  }
}

/**
 * The snapshot's items with the touched entries read again from their folders (gone: left out);
 * undefined when one of them is damaged (the rebuild quarantines it).
 */
function fromSnapshot(layout: Layout, client: string, snapshot: IndexItem[], touched: Set<string> | undefined): IndexItem[] | undefined {
  if (!touched || touched.size === 0) return snapshot;
  const items = new Map(snapshot.map((i) => [i.id, i]));
  for (const id of touched) {
    if (!existsSync(layout.entryDir(client, id))) {
      items.delete(id);
      continue;
    }
    const read = readEntryItem(layout, client, id);
    if ("reason" in read) return undefined;
    items.set(id, read);
  }
  return [...items.values()];
}

const toError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
