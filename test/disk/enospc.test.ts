/**
 * Disk full: the dispatcher runs in-process against the JSON store on a 2 MB tmpfs. Filled up, a
 * run fails with DBUS_STO_DISK_FULL and stored entries stay intact; with space back, work resumes.
 * Without root (no mount), the same story runs with writes failing at the storage boundary.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { spawnSync } from "node:child_process";
import { closeSync, openSync, writeSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../../src/core/clock";
import { DatabusError } from "../../src/core/errors";
import { Dispatcher } from "../../src/dispatcher/dispatcher";
import { loadPlugins } from "../../src/plugins/load";
import type { Database } from "../../src/storage/database";
import { createJsonDatabase } from "../../src/storage/json/index";

const FIXTURES = join(import.meta.dir, "../fixtures/plugins");
const T0 = Date.parse("2026-04-01T08:00:00Z");
const CONFIG = JSON.stringify({
  passengers: [{ name: "t/passenger-plain", pullers: ["t/puller-one-new-each-run"], pushers: ["t/pusher-accepts"], sync_frequency: "1m" }],
});
/** Store methods that write: in injected mode they fail like a full disk. */
const WRITES = new Set(["seat", "updateStep", "updateSteps", "updatePassenger", "linkLog", "createLog", "appendLog", "finishLog", "setState", "purgeCompleted", "purgeLogs", "writeConfig"]);

/** Writes 64 KB blocks until the disk refuses, leaving `leaveBytes` free (roughly, in blocks). */
function fill(file: string, leaveBytes = 0): void {
  const fd = openSync(file, "a");
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
  } finally {
    closeSync(fd);
  }
  if (leaveBytes > 0) spawnSync("truncate", ["-s", `-${leaveBytes}`, file]);
}

describe("disk full (ENOSPC)", () => {
  let root: string;
  let home: string;
  let mode: "tmpfs" | "injected";
  let full = false;
  let db: Database;
  let d: Dispatcher;
  let now = T0;
  const reports: string[] = [];
  const clock: Clock = { now: () => now };
  const tickAt = async (minutes: number) => {
    now = T0 + minutes * 60_000;
    await d.tick();
    await d.idle();
  };
  const ids = async () => (await db.listEntries("acme", { state: "complete" }, { offset: 0, limit: 100 }, "seated_at")).entries.map((e) => e.passenger.external_id);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "databus-enospc-"));
    home = join(root, "home");
    await mkdir(home);
    // ENOSPC_MODE=injected runs the fallback on purpose (to check it where mounting works).
    const mounted = process.env.ENOSPC_MODE === "injected" ? { status: 1, stderr: "ENOSPC_MODE=injected" } : spawnSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", home]);
    mode = mounted.status === 0 ? "tmpfs" : "injected";
    console.log(`ENOSPC test mode: ${mode === "tmpfs" ? "a real 2 MB tmpfs at " + home : "injected write failures (mount failed: " + String(mounted.stderr).trim() + ")"}`);
    // Plugins load from outside the small disk, so they take none of its space.
    const pluginsHome = join(root, "plugins-home");
    await cp(FIXTURES, join(pluginsHome, "plugins", "t"), { recursive: true });
    const registry = await loadPlugins(pluginsHome);
    const real = createJsonDatabase(join(home, "data"), { clock });
    db = new Proxy(real, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (full && mode === "injected" && WRITES.has(String(prop))) return Promise.reject(new DatabusError("DBUS_STO_DISK_FULL", { path: join(home, "data") }));
          return value.apply(target, args);
        };
      },
    });
    await db.open();
    await db.createClient("acme", CONFIG);
    d = new Dispatcher({ db, registry, clock, home, tickMs: 3_600_000, concurrency: 2, graceMs: 1000, random: () => 0, report: (l) => reports.push(l) });
  });

  afterAll(async () => {
    await d.shutdown();
    await db.close();
    if (mode === "tmpfs") spawnSync("umount", [home]);
    await rm(root, { recursive: true, force: true });
  });

  it("stores and delivers while there is room", async () => {
    d.start();
    await d.idle();
    await tickAt(1);
    expect(await ids()).toEqual(["run-1", "run-2"]);
  });

  it("fails the run with DBUS_STO_DISK_FULL when the disk is full, and damages nothing stored", async () => {
    full = true;
    if (mode === "tmpfs") fill(join(home, "filler"));
    await tickAt(2);
    const failure = reports.find((r) => r.includes("DBUS_STO_DISK_FULL"));
    console.log(`reported: ${failure}`);
    expect(failure).toBeDefined();
    expect(failure).toContain("The run of t/passenger-plain for client acme stopped: DBUS_STO_DISK_FULL The disk that holds ");
    expect(failure).toContain(" is full. Nothing was lost; new work waits.");
    full = false; // reads must work on a full disk: check what was stored before
    expect(await ids()).toEqual(["run-1", "run-2"]);
    for (const e of (await db.listEntries("acme", {}, { offset: 0, limit: 100 })).entries)
      expect((await db.getPassenger("acme", e.passenger.id)).payload).toEqual({ n: Number(e.passenger.external_id.slice(4)) });
  });

  it("resumes by itself when space returns, warning while under 5 % is free", async () => {
    full = false;
    if (mode === "tmpfs") {
      await rm(join(home, "filler"));
      fill(join(home, "filler"), 80 * 1024); // about 4 % of 2 MB left: enough for a run, low enough to warn
    }
    await tickAt(3);
    const done = await ids();
    expect(done.slice(0, 2)).toEqual(["run-1", "run-2"]);
    console.log(`complete after space returned: ${done.join(", ")}`);
    // run-3 may have been accepted while the disk was "full": the journal's last block had room for its
    // small records even though no new file could be written (then it was durable, and goes out now).
    expect([3, 4]).toContain(done.length);
    expect(done).toEqual(Array.from({ length: done.length }, (_, i) => `run-${i + 1}`));
    expect(await db.countEntries("acme")).toMatchObject({ pending: 0, failed: 0, dead: 0 });
    if (mode === "tmpfs") {
      const last = (await db.listLogs("acme", { origin: "run" }, { offset: 0, limit: 1 })).logs[0]!;
      const warning = (await db.readLog("acme", last.id))!.entries.find((e) => e.level === "warning");
      expect(warning?.message).toStartWith("DBUS_WRN_STO_DISK_LOW Only ");
      await rm(join(home, "filler"));
    }
  });
});
