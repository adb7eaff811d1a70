/**
 * Logs: one JSON file per log, `log/<time>_<log id>.json` = Log (header fields + entries). Headers
 * are indexed in memory per client on first use, so lists never rescan the folder. Run-time writes
 * go through the journal; the self-check at open writes directly (rare, before the journal is busy).
 * Errors: DBUS_STO_LOG_NOT_FOUND (append to an unknown log), write failures from files.ts.
 */
import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { iso, type Clock } from "../../core/clock";
import { DatabusError, reasonOf } from "../../core/errors";
import { worstLevel, type Log, type LogEntry, type LogHeader, type RunCounts } from "../../core/log";
import type { LogFilter, NewLog, Page } from "../database";
import type { Clients } from "./clients";
import { forEachLimited } from "../../core/limited";
import { sweepTemps, writeFailure, writeJsonAtomic } from "./files";
import type { Journal } from "./journal";
import { isLogId, parseLogFileName, type Layout } from "./layout";
import { LogIndex, type LogRef } from "./log-index";
import { logProblem, quarantine, selfCheckLog, type Quarantined } from "./quarantine";
import type { Serial } from "./serial";

const renderJson = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/** The header of a stored log; logs written before runs recorded counts read as unfinished. */
const headerOf = ({ entries: _e, ...header }: Log): LogHeader => ({
  ...header,
  // Logs written before these fields existed: runs were titled "run <definition>".
  origin: header.origin ?? (header.title.startsWith("run ") ? "run" : "console"),
  finished_at: header.finished_at ?? null,
  counts: header.counts ?? null,
  instance: header.instance ?? null,
});

export class Logs {
  private loaded = new Map<string, Promise<LogIndex>>();

  constructor(
    private layout: Layout,
    private clients: Clients,
    private serial: Serial,
    private clock: Clock,
    private journal: Journal,
  ) {}

  forget(client: string): void {
    this.loaded.delete(client);
  }

  async create(client: string, log: NewLog): Promise<void> {
    const refs = await this.refs(client);
    const file = this.layout.logFile(client, log.at, log.id);
    await this.serial.run(`log:${client}/${log.id}`, async () => {
      if (refs.get(log.id)) return;
      const full: Log = { ...log, level: "info", entries_count: 0, finished_at: null, counts: null, entries: [] };
      await this.journal.commit([{ op: "write", path: file, text: renderJson(full) }]);
      refs.add({ file: basename(file), header: headerOf(full) });
    });
  }

  async append(client: string, logId: string, entries: LogEntry[]): Promise<void> {
    await this.rewrite(client, logId, (log) => {
      log.entries.push(...entries);
      log.entries_count = log.entries.length;
      log.level = worstLevel(entries.map((e) => e.level), log.level);
    });
  }

  /** Read, change and rewrite one log file atomically, one change at a time per log. */
  private async rewrite(client: string, logId: string, change: (log: Log) => void): Promise<void> {
    const refs = await this.refs(client);
    await this.serial.run(`log:${client}/${logId}`, async () => {
      const ref = refs.get(logId);
      const log = ref && (await this.journal.readJson<Log>(join(this.layout.logDir(client), ref.file)));
      if (!ref || !log) throw new DatabusError("DBUS_STO_LOG_NOT_FOUND", { client, id: logId });
      change(log);
      // The record carries the whole log (replay must be idempotent), not the appended entries.
      await this.journal.commit([{ op: "write", path: join(this.layout.logDir(client), ref.file), text: renderJson(log) }]);
      refs.update(logId, headerOf(log));
    });
  }

  async finish(client: string, logId: string, finishedAt: string, counts: RunCounts): Promise<void> {
    await this.rewrite(client, logId, (log) => {
      log.finished_at = finishedAt;
      log.counts = counts;
    });
  }

  async read(client: string, logId: string): Promise<Log | undefined> {
    const ref = (await this.refs(client)).get(logId);
    return ref && this.journal.readJson<Log>(join(this.layout.logDir(client), ref.file));
  }

  async list(client: string, filter: LogFilter, page: Page): Promise<{ total: number; logs: LogHeader[] }> {
    return (await this.refs(client)).query(filter, page);
  }

  /** Deletes logs that started before the cutoff; returns how many. */
  async purge(client: string, beforeIso: string): Promise<number> {
    const refs = await this.refs(client);
    const old = refs.olderThan(beforeIso);
    await forEachLimited(old, 16, async (r) => {
      await this.serial.run(`log:${client}/${r.header.id}`, async () => {
        await this.journal.commit([{ op: "remove", path: join(this.layout.logDir(client), r.file) }]);
        refs.delete(r.header.id);
      });
    });
    return old.length;
  }

  /** Header index of a client's logs, read from the folder once and kept up to date afterwards. */
  private refs(client: string): Promise<LogIndex> {
    this.clients.assertKnown(client);
    let p = this.loaded.get(client);
    if (!p) {
      p = this.scan(client);
      this.loaded.set(client, p);
      p.catch(() => this.loaded.delete(client));
    }
    return p;
  }

  /**
   * Reads every log header once. Part of the store's self-check: a file that is not a log is moved
   * to quarantine and a "store self-check" log says so. Nothing writes this client's logs meanwhile
   * (every write waits for this index), so leftover temp files can be swept here.
   */
  private async scan(client: string): Promise<LogIndex> {
    const dir = this.layout.logDir(client);
    const files = (await sweepTemps(dir)).filter((n) => parseLogFileName(n) !== undefined);
    const refs: LogRef[] = [];
    const bad: Array<{ file: string; reason: string }> = [];
    await forEachLimited(files, 64, async (file) => {
      let log: Log | undefined;
      try {
        log = await this.journal.readJson<Log>(join(dir, file));
      } catch (e) {
        bad.push({ file, reason: e instanceof DatabusError ? "it is not valid JSON (cut short or damaged)" : `it cannot be read (${reasonOf(e)})` });
        return;
      }
      if (log === undefined) return;
      const problem = logProblem(log) ?? (isLogId(log.id) ? null : "its id is not a log id");
      if (problem) bad.push({ file, reason: problem });
      else refs.push({ file, header: headerOf(log) });
    });
    if (bad.length > 0) refs.push(await this.quarantineLogs(client, bad));
    return LogIndex.build(refs);
  }

  private async quarantineLogs(client: string, bad: Array<{ file: string; reason: string }>): Promise<LogRef> {
    const at = iso(this.clock.now());
    const moved: Quarantined[] = [];
    for (const b of bad) moved.push(await quarantine(this.layout, client, `log/${b.file}`, `the log file ${b.reason}`, at));
    const log = selfCheckLog(moved, at);
    const file = this.layout.logFile(client, log.at, log.id);
    await writeJsonAtomic(file, log);
    return { file: basename(file), header: headerOf(log) };
  }

  /** Writes the "store self-check" log for what open() moved to quarantine (e.g. damaged queue entries). */
  async recordSelfCheck(client: string, moved: readonly Quarantined[]): Promise<void> {
    if (moved.length === 0) return;
    const refs = await this.refs(client);
    const log = selfCheckLog(moved, iso(this.clock.now()));
    const file = this.layout.logFile(client, log.at, log.id);
    await mkdir(this.layout.logDir(client), { recursive: true }).catch((e) => {
      throw writeFailure(file, e);
    });
    await writeJsonAtomic(file, log);
    refs.add({ file: basename(file), header: headerOf(log) });
  }
}
