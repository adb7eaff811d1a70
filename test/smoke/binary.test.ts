/**
 * Smoke suite: builds the real binary with `npm run build`, copies it into an empty folder with a
 * plugins/ folder written here, and drives it as a user would: files in, files out, over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(import.meta.dir, "../..");
const home = mkdtempSync(join(tmpdir(), "databus-smoke-"));
const binary = join(home, "databus");
let server: ChildProcess;
let output = "";
let baseUrl = "";

const PASSENGER = `import { Passenger } from "databus";
export default class Order extends Passenger<{ id: number; item: string }> {}
`;
const PULLER = `import { Puller, type PullContext } from "databus";
import { readdir, readFile, rename, mkdir } from "node:fs/promises";
import { join } from "node:path";
import Order from "./order";

export default class InboxPuller extends Puller<Order> {
  async pull(ctx: PullContext): Promise<Order[]> {
    const inbox = join(ctx.home, "inbox");
    const names = (await readdir(inbox)).filter((n) => n.endsWith(".json"));
    return Promise.all(names.map(async (name) =>
      new Order({ external_id: name, payload: JSON.parse(await readFile(join(inbox, name), "utf8")) })));
  }
  async notifySeated(orders: Order[], ctx: PullContext): Promise<void> {
    const done = join(ctx.home, "inbox", "done");
    await mkdir(done, { recursive: true });
    for (const o of orders) await rename(join(ctx.home, "inbox", o.external_id), join(done, o.external_id)).catch(() => undefined);
  }
}
`;
const PUSHER = `import { Pusher, type PushContext } from "databus";
import { writeFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type Order from "./order";

export default class OutboxPusher extends Pusher<Order> {
  async push(order: Order, ctx: PushContext): Promise<void> {
    const file = join(ctx.home, "outbox", ctx.idempotencyKey.replace(/[^A-Za-z0-9_-]/g, "_") + ".json");
    await writeFile(file + ".tmp", JSON.stringify(order.payload));
    await rename(file + ".tmp", file);
  }
}
`;
// A plugin extending a built-in driver through "databus/files": its own passenger type, so a
// second definition beside shop/order, with its folder in code.
const RETURN = `import { Document } from "databus/files";
export default class Return extends Document<{ id: number; reason: string }> {}
`;
const RETURNS_FOLDER = `import { FolderPuller } from "databus/files";
import Return from "./return";
export default class ReturnsFolder extends FolderPuller<Return> {
  passengerClass = Return;
  options = { folder: "returns" };
}
`;
const CONFIG = JSON.stringify({
  passengers: [
    { name: "shop/order", pullers: ["shop/inbox_puller"], pushers: ["shop/outbox_pusher"], sync_frequency: "1s" },
    {
      name: "shop/return",
      pullers: ["shop/returns_folder"],
      pushers: [{ name: "databus/files/folder_pusher", options: { folder: "returns-out", create_folder: true, naming: "external_id" } }],
      sync_frequency: "1s",
    },
  ],
});

function runBinary(args: string[]) {
  return spawnSync(binary, args, { cwd: tmpdir(), encoding: "utf8", timeout: 30_000 });
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}. Server output:\n${output}`);
    await Bun.sleep(100);
  }
}

beforeAll(async () => {
  const build = spawnSync("npm", ["run", "build"], { cwd: REPO, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  copyFileSync(join(REPO, "dist/databus"), binary);
  for (const dir of ["plugins/shop", "inbox", "outbox", "returns", "data/clients/shop"]) mkdirSync(join(home, dir), { recursive: true });
  writeFileSync(join(home, "plugins/shop/return.ts"), RETURN);
  writeFileSync(join(home, "plugins/shop/returns_folder.ts"), RETURNS_FOLDER);
  writeFileSync(join(home, "plugins/shop/order.ts"), PASSENGER);
  writeFileSync(join(home, "plugins/shop/inbox_puller.ts"), PULLER);
  writeFileSync(join(home, "plugins/shop/outbox_pusher.ts"), PUSHER);
  writeFileSync(join(home, "data/clients/shop/config.json"), CONFIG);

  // No --home: the binary must use the folder it sits in. It runs from another working directory.
  server = spawn(binary, ["--tick", "1s", "--port", "0"], { cwd: tmpdir(), stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (c) => (output += c));
  server.stderr!.on("data", (c) => (output += c));
  baseUrl = await waitFor("the server to listen", () => /running at (http:\/\/[^/\s]+)\//.exec(output)?.[1]);
}, 120_000);

afterAll(() => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  rmSync(home, { recursive: true, force: true });
});

describe("the compiled binary", () => {
  it("prints the generated root password once and never a well-known one", () => {
    expect(output).toMatch(/client root, user admin, password \S{16,}/);
  });

  it("moves 50 files from the inbox to the outbox through user plugins", async () => {
    for (let i = 0; i < 50; i++) writeFileSync(join(home, "inbox", `order-${i}.json`), JSON.stringify({ id: i, item: `item ${i}` }));
    const count = await waitFor("50 files in the outbox", () => {
      const n = readdirSync(join(home, "outbox")).filter((f) => f.endsWith(".json")).length;
      return n >= 50 ? n : undefined;
    }, 60_000);
    expect(count).toBe(50);
    expect(readdirSync(join(home, "inbox", "done")).length).toBe(50);
  }, 90_000);

  it("runs a plugin that extends a built-in driver from \"databus/files\" as a second definition", async () => {
    writeFileSync(join(home, "returns", "r-1.json"), JSON.stringify({ id: 1, reason: "too big" }));
    await waitFor("r-1 in returns-out", () => (existsSync(join(home, "returns-out", "r-1.json.json")) ? true : undefined));
    expect(JSON.parse(readFileSync(join(home, "returns-out", "r-1.json.json"), "utf8"))).toMatchObject({ type: "shop/return", payload: { id: 1 } });
    expect(readdirSync(join(home, "returns", "done"))).toEqual(["r-1.json"]);
  }, 60_000);

  it("loads a new plugin importing \"databus/files\" while running (re-bundled with the module left to the binary)", async () => {
    writeFileSync(join(home, "plugins/shop/scans_folder.ts"), `import { FolderPuller, type FolderPullerOptions } from "databus/files";
export default class ScansFolder extends FolderPuller {
  options: FolderPullerOptions = { folder: "scans", read_as: "attachment" };
}
`);
    await waitFor("the new plugin to load", () => (output.includes("Plugin shop/scans_folder reloaded.") ? true : undefined));
    expect(output).not.toMatch(/scans_folder.*DBUS_PLG/);
  }, 60_000);

  it("serves the console with the embedded htmx", async () => {
    const page = await fetch(`${baseUrl}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const src = /<script[^>]+src="(\/static\/htmx[^"]*)"/.exec(html)?.[1];
    expect(src).toBeDefined();
    const js = await fetch(`${baseUrl}${src}`);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain("htmx");
  });

  it("passes `databus check` beside the running instance", () => {
    const check = runBinary(["check"]);
    expect(check.stdout).toContain("OK:");
    expect(check.status).toBe(0);
  });

  it("reports a plugin with a syntax error while the others keep running", async () => {
    writeFileSync(join(home, "plugins/shop/broken.ts"), "export default class {\n  oops(: {\n}\n");
    await waitFor("the broken plugin to be reported", () => (output.includes("shop/broken") && output.includes("DBUS_PLG_LOAD_FAILED") ? true : undefined));
    writeFileSync(join(home, "inbox", "order-late.json"), JSON.stringify({ id: 99, item: "late" }));
    await waitFor("the late order in the outbox", () => (readdirSync(join(home, "outbox")).length >= 51 ? true : undefined));
    const check = runBinary(["check"]);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/broken\.ts.*DBUS_PLG_LOAD_FAILED/);
  }, 60_000);

  it("keeps pulling after the puller, then its passenger type, are edited while running", async () => {
    const delivered = (id: number) =>
      readdirSync(join(home, "outbox"))
        .filter((f) => f.endsWith(".json"))
        .map((f) => JSON.parse(readFileSync(join(home, "outbox", f), "utf8")) as { id: number; edited?: boolean })
        .find((p) => p.id === id);
    const reloadedSince = (from: number, name: string) => output.slice(from).includes(`Plugin ${name} reloaded.`);

    // The edited puller is re-bundled; it must still create the registry's Order, not a copy of it.
    let from = output.length;
    writeFileSync(join(home, "plugins/shop/inbox_puller.ts"), PULLER.replace("payload: JSON.parse(", "payload: { edited: true, ...JSON.parse(").replace(`"utf8")) })`, `"utf8")) } })`));
    await waitFor("the edited puller to reload", () => (reloadedSince(from, "shop/inbox_puller") ? true : undefined));
    writeFileSync(join(home, "inbox", "order-edited.json"), JSON.stringify({ id: 200, item: "after the puller edit" }));
    expect(await waitFor("order 200 in the outbox", () => delivered(200))).toMatchObject({ edited: true });

    // A new Order class must reach the puller that imports it (reloaded with it, not left holding the old one).
    from = output.length;
    writeFileSync(join(home, "plugins/shop/order.ts"), PASSENGER.replace("{}", "{\n  readonly edition = 2;\n}"));
    await waitFor("the passenger type and its puller to reload", () =>
      reloadedSince(from, "shop/order") && reloadedSince(from, "shop/inbox_puller") ? true : undefined);
    writeFileSync(join(home, "inbox", "order-retyped.json"), JSON.stringify({ id: 201, item: "after the passenger edit" }));
    expect(await waitFor("order 201 in the outbox", () => delivered(201))).toMatchObject({ edited: true });
    expect(output).not.toContain("but this definition carries");
  }, 90_000);

  it("writes the store's files from its worker thread (embedded in the binary), not on the main thread", () => {
    // By now the server has seated and delivered; a missing worker module would have said so once.
    expect(existsSync(join(home, "data", "clients", "shop", "queue"))).toBe(true);
    expect(output).not.toContain("file writer thread could not start");
  });

  it("checkpoints a sqlite store from its worker thread (embedded in the binary)", async () => {
    const sqliteHome = mkdtempSync(join(tmpdir(), "databus-smoke-sqlite-"));
    try {
      const child = spawn(binary, ["serve", "--home", sqliteHome, "--engine", "sqlite", "--port", "0"], { cwd: tmpdir(), stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout!.on("data", (c) => (out += c));
      child.stderr!.on("data", (c) => (out += c));
      const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
      await waitFor("the sqlite instance to listen", () => out.includes("running at") || undefined);
      // Seeding the home committed writes, which started the thread; one that could not load has said so by now.
      await Bun.sleep(1_000);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(out).not.toContain("checkpoint thread");
      // The thread closed its connection before the server's: the last close checkpointed and removed the WAL.
      expect(existsSync(join(sqliteHome, "data", "databus.sqlite"))).toBe(true);
      expect(existsSync(join(sqliteHome, "data", "databus.sqlite-wal"))).toBe(false);
    } finally {
      rmSync(sqliteHome, { recursive: true, force: true });
    }
  }, 60_000);

  it("stops with exit code 0 on SIGTERM", async () => {
    const exited = new Promise<number | null>((r) => server.on("exit", (code) => r(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
