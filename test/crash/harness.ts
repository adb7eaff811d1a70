/**
 * The crash test's machinery: a home with the crash plugins and a 5,000-item inbox, a real server
 * process to start and kill, and a cheap progress snapshot to tell which phase a kill landed in.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";

export const REPO = join(import.meta.dir, "../..");
export const TOTAL = 5000;
export const BATCH = 500;
export const CLIENT = "crash";

/** External ids as the inbox files are named: p00000 … p04999. */
export const idOf = (n: number): string => `p${String(n).padStart(5, "0")}`;

const CONFIG = {
  log_life_span: 7,
  passengers: [
    {
      name: "crash/ticket",
      pullers: [{ name: "crash/mailbox_puller", options: { inbox: "inbox", batch: BATCH } }],
      processors: ["crash/stamp_processor"],
      pushers: ["crash/pusher_a", "crash/pusher_b"],
      sync_frequency: "1s",
      queue_life_span: 30,
      // Nothing here fails on purpose; a failure must be retried soon, not after minutes.
      retry: { base: "1s", max_delay: "2s", max_attempts: 50 },
    },
  ],
};

/** The client's config, as config.json holds it. */
export const CONFIG_TEXT = `${JSON.stringify(CONFIG, null, 2)}\n`;

/**
 * Writes the plugins and the inbox into an empty home, and the client config into data/ (the json
 * store's place for it; a sqlite home gets its client from the caller, through the engine).
 */
export function prepareHome(home: string, engine: "json" | "sqlite" = "json"): void {
  const plugins = join(home, "plugins", "crash");
  mkdirSync(plugins, { recursive: true });
  const fixtures = join(REPO, "test/fixtures/crash");
  for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(plugins, f));
  if (engine === "json") {
    const clientDir = join(home, "data", "clients", CLIENT);
    mkdirSync(clientDir, { recursive: true });
    writeFileSync(join(clientDir, "config.json"), CONFIG_TEXT);
  }
  mkdirSync(join(home, "inbox"));
  for (let n = 0; n < TOTAL; n++) writeFileSync(join(home, "inbox", idOf(n)), "");
}

export interface Server {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Resolves when the server printed that it is running; rejects if it exits first. */
  ready: Promise<void>;
  output(): string;
}

export function startServer(home: string, engine: "json" | "sqlite" = "json"): Server {
  const proc = Bun.spawn(
    [process.execPath, "src/main.ts", "serve", "--home", home, "--engine", engine, "--port", "0", "--tick", "1s", "--concurrency", "2"],
    { cwd: REPO, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } },
  );
  let out = "";
  let err = "";
  const drain = async (stream: ReadableStream<Uint8Array>, onText: (t: string) => void) => {
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onText(decoder.decode(value, { stream: true }));
    }
  };
  const ready = new Promise<void>((resolve, reject) => {
    void drain(proc.stdout, (t) => {
      out += t;
      if (out.includes(" is running at ")) resolve();
    });
    void drain(proc.stderr, (t) => (err += t));
    void proc.exited.then((code) => reject(new Error(`the server exited with ${code} before it was ready:\n${out}\n${err}`)));
  });
  ready.catch(() => undefined);
  return { proc, ready, output: () => `${out}\n${err}` };
}

export interface Progress {
  inbox: number;
  seated: number;
  a: number;
  b: number;
}

/** Counts only (names and newlines), cheap enough to take at every kill. */
export function progress(home: string): Progress {
  const count = (dir: string) => {
    try {
      return readdirSync(dir).filter((n) => !n.startsWith(".")).length;
    } catch {
      return 0;
    }
  };
  return {
    inbox: count(join(home, "inbox")),
    seated: count(join(home, "data", "clients", CLIENT, "queue")),
    a: deliveries(home, "a").length,
    b: deliveries(home, "b").length,
  };
}

/** What changed between two snapshots, in the words of the pipeline. */
export function phaseOf(before: Progress, after: Progress): string {
  const phases: string[] = [];
  if (after.seated > before.seated) phases.push("seating");
  if (after.inbox < before.inbox) phases.push("notifying");
  if (after.a + after.b > before.a + before.b) phases.push("pushing");
  return phases.length > 0 ? phases.join("+") : "starting or processing";
}

/**
 * The ids a pusher wrote, one per complete line. A line cut short by SIGKILL (no newline yet, or
 * run into the next append) is not an id; it is left out and its step runs again.
 */
export function deliveries(home: string, pusher: "a" | "b"): string[] {
  let text: string;
  try {
    text = readFileSync(join(home, "out", `${pusher}.txt`), "utf8");
  } catch {
    return [];
  }
  const lines = text.split("\n");
  lines.pop();
  return lines.filter((l) => /^p\d{5}$/.test(l));
}

/**
 * Starts a server `kills` times and SIGKILLs it after a random 50–1,500 ms each time (from "running";
 * every fourth time from the spawn, so some kills land in open() itself). `afterKill` runs after each.
 * `track` gets the server being started (so the caller can kill it if the test fails). Returns the
 * phase each kill landed in, and logs each.
 */
export async function killRepeatedly(
  home: string,
  kills: number,
  start: () => Server,
  track: (server: Server) => void,
  afterKill: () => void = () => {},
): Promise<string[]> {
  let before = progress(home);
  const phases: string[] = [];
  for (let k = 1; k <= kills; k++) {
    const server = start();
    track(server);
    if (k % 4 !== 0) await server.ready;
    const delay = 50 + Math.floor(Math.random() * 1450);
    await new Promise((r) => setTimeout(r, delay));
    server.proc.kill("SIGKILL");
    await server.proc.exited;
    afterKill();
    const after = progress(home);
    const phase = phaseOf(before, after);
    phases.push(phase);
    console.log(`kill ${k} after ${delay} ms (${phase}): inbox ${after.inbox}, seated ${after.seated}, pushed a ${after.a} b ${after.b}`);
    before = after;
  }
  return phases;
}

/** The ids of the inbox a pusher never wrote (empty when every passenger reached it at least once). */
export function missingDeliveries(got: readonly string[]): string[] {
  const set = new Set(got);
  return Array.from({ length: TOTAL }, (_, n) => idOf(n)).filter((id) => !set.has(id));
}
