/**
 * Browser tests: a real Databus server (the dev entry, src/main.ts) on a temp home with test
 * plugins, and Debian's chromium driven by playwright-core. Screenshots go to test/artifacts/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

const REPO = join(import.meta.dir, "../..");
export const ARTIFACTS = join(REPO, "test/artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags the machine notes ask for: no background traffic on a closed network, no sandbox as root. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export const USERS = {
  admin: { client: "acme", username: "ada", password: "ada-password-1" },
  operator: { client: "acme", username: "otto", password: "otto-password-1" },
};

const PASSENGER = `import { Passenger } from "databus";
export default class Parcel extends Passenger<{ label: string }> {}
`;
/** Ten parcels per run: ids parcel-0..9; parcel-3 and parcel-7 fail at the pusher until retried by hand. */
const PULLER = `import { Puller } from "databus";
import Parcel from "./parcel";
export default class ParcelPuller extends Puller<Parcel> {
  pull() { return Array.from({ length: 10 }, (_, i) => new Parcel({ external_id: "parcel-" + i, payload: { label: "Parcel " + i } })); }
}
`;
const PUSHER = `import { Pusher, type PushContext } from "databus";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type Parcel from "./parcel";
export default class PickyPusher extends Pusher<Parcel> {
  push(p: Parcel, ctx: PushContext) {
    // Fails for parcel-3 and parcel-7 until a file named "fixed" exists in the home.
    if (/-(3|7)$/.test(p.external_id) && !existsSync(join(ctx.home, "fixed"))) throw new Error("the depot refuses " + p.external_id);
  }
}
`;

function config(): string {
  return JSON.stringify({
    passengers: [
      { name: "e2e/parcel", pullers: ["e2e/parcel_puller"], pushers: ["e2e/picky_pusher"], sync_frequency: 60 },
    ],
    users: [
      { username: USERS.admin.username, role: "administrator", password: USERS.admin.password },
      { username: USERS.operator.username, role: "operator", password: USERS.operator.password },
    ],
  }, null, 2);
}

export interface Server {
  url: string;
  home: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts Databus on a free port; resolves when it listens. The first run happens at once. */
export async function startServer(): Promise<Server> {
  const home = mkdtempSync(join(tmpdir(), "databus-e2e-"));
  for (const dir of ["plugins/e2e", "data/clients/acme"]) mkdirSync(join(home, dir), { recursive: true });
  writeFileSync(join(home, "plugins/e2e/parcel.ts"), PASSENGER);
  writeFileSync(join(home, "plugins/e2e/parcel_puller.ts"), PULLER);
  writeFileSync(join(home, "plugins/e2e/picky_pusher.ts"), PUSHER);
  writeFileSync(join(home, "data/clients/acme/config.json"), config());
  const child: ChildProcess = spawn(process.execPath, [join(REPO, "src/main.ts"), "--home", home, "--port", "0", "--tick", "1s"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const until = Date.now() + 30_000;
  let url: string | undefined;
  while (!(url = /running at (http:\/\/[^/\s]+)\//.exec(output)?.[1])) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`The server did not start:\n${output}`);
    await Bun.sleep(50);
  }
  return {
    url,
    home,
    output: () => output,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function logIn(page: Page, url: string, who: { client: string; username: string; password: string }): Promise<void> {
  await page.goto(`${url}/login`);
  await page.fill('input[name="client"]', who.client);
  await page.fill('input[name="username"]', who.username);
  await page.fill('input[name="password"]', who.password);
  await Promise.all([page.waitForURL(`${url}/`), page.click('button[type="submit"]')]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Polls until `probe` returns true (for background runs); throws with the server output on timeout. */
export async function eventually(what: string, probe: () => Promise<boolean> | boolean, server: Server, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}.\n${server.output()}`);
    await Bun.sleep(100);
  }
}
