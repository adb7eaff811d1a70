/**
 * WalSync: the sqlite engine's commits made durable by an fdatasync of the WAL on the thread pool,
 * commits that arrive during one sync sharing the next (group commit), a failed sync failing every
 * write that waited on it.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabusError } from "../../../../src/core/errors";
import { nextTurn } from "../../../../src/core/limited";
import { WalSync } from "../../../../src/storage/sqlite/wal-sync";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function walFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "databus-wal-sync-"));
  dirs.push(dir);
  const path = join(dir, "databus.sqlite-wal");
  writeFileSync(path, "frames");
  return path;
}

/** A datasync the test ends by hand: `syncs` counts the calls, `finish()` ends the oldest one. */
function heldDatasync() {
  const open: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  let syncs = 0;
  return {
    datasync: (fd: number) => {
      expect(fd).toBeGreaterThan(0);
      syncs++;
      return new Promise<void>((resolve, reject) => open.push({ resolve, reject }));
    },
    get syncs() {
      return syncs;
    },
    finish: () => open.shift()!.resolve(),
    fail: (e: Error) => open.shift()!.reject(e),
  };
}

const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await nextTurn();
};

/** Whether a promise has settled yet, without waiting for it. */
function tracked<T>(p: Promise<T>) {
  const t = { settled: false, error: undefined as unknown };
  p.then(
    () => (t.settled = true),
    (e) => ((t.settled = true), (t.error = e)),
  );
  return t;
}

/** Closes a WalSync whose syncs the test holds: its close makes one more. */
async function closeHeld(sync: WalSync, held: ReturnType<typeof heldDatasync>): Promise<void> {
  const closing = sync.close();
  await turns();
  held.finish();
  await closing;
}

describe("WalSync", () => {
  it("answers a caller only when a sync that began after its call has ended", async () => {
    const held = heldDatasync();
    const sync = new WalSync(walFile(), held.datasync);
    const first = tracked(sync.durable());
    await turns();
    expect(held.syncs).toBe(1);
    // Came while the first sync runs: that sync may have begun before this caller's commit.
    const second = tracked(sync.durable());
    held.finish();
    await turns();
    expect(first.settled).toBe(true);
    expect(second.settled).toBe(false);
    expect(held.syncs).toBe(2);
    held.finish();
    await turns();
    expect(second.settled).toBe(true);
    await closeHeld(sync, held);
  });

  it("gives every caller that came during one sync the same next sync (group commit)", async () => {
    const held = heldDatasync();
    const sync = new WalSync(walFile(), held.datasync);
    const first = sync.durable();
    const during = Array.from({ length: 20 }, () => tracked(sync.durable()));
    held.finish();
    await first;
    await turns();
    held.finish();
    await turns();
    expect(during.every((t) => t.settled && t.error === undefined)).toBe(true);
    expect(held.syncs).toBe(2);
    await closeHeld(sync, held);
  });

  it("fails every caller waiting on a failed sync with DBUS_STO_WRITE_FAILED naming the WAL, and tries again next time", async () => {
    const held = heldDatasync();
    const wal = walFile();
    const sync = new WalSync(wal, held.datasync);
    const waiting = [tracked(sync.durable())];
    await turns();
    held.fail(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    await turns();
    const error = waiting[0]!.error as DatabusError;
    expect(error).toBeInstanceOf(DatabusError);
    expect(error.code).toBe("DBUS_STO_WRITE_FAILED");
    expect(error.message).toContain(wal);
    expect(error.message).toContain("EIO");
    const again = tracked(sync.durable());
    await turns();
    expect(held.syncs).toBe(2);
    held.finish();
    await turns();
    expect(again).toEqual({ settled: true, error: undefined });
    await closeHeld(sync, held);
  });

  it("answers at once without a sync while there is no WAL yet (nothing was committed)", async () => {
    const held = heldDatasync();
    const sync = new WalSync(walFile().replace(/-wal$/, "-none-wal"), held.datasync);
    await sync.durable();
    await sync.close();
    expect(held.syncs).toBe(0);
  });

  it("closes after the syncs asked for and one more of its own", async () => {
    const held = heldDatasync();
    const sync = new WalSync(walFile(), held.datasync);
    void sync.durable();
    await turns();
    const closing = tracked(sync.close());
    held.finish();
    await turns();
    expect(closing.settled).toBe(false);
    expect(held.syncs).toBe(2);
    held.finish();
    await turns();
    expect(closing).toEqual({ settled: true, error: undefined });
  });

  it("fails its close when the last sync fails: not everything is on the disk", async () => {
    const held = heldDatasync();
    const sync = new WalSync(walFile(), held.datasync);
    const closing = tracked(sync.close());
    await turns();
    held.fail(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    await turns();
    expect((closing.error as DatabusError).code).toBe("DBUS_STO_WRITE_FAILED");
  });

  it("syncs a real file with the system's fdatasync", async () => {
    const sync = new WalSync(walFile());
    await sync.durable();
    await Promise.all([sync.durable(), sync.durable(), sync.durable()]);
    await sync.close();
  });
});
