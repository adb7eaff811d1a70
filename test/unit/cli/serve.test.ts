/**
 * `databus serve` with SQL Server down at start (#5): the console listens anyway; /healthz answers 200,
 * /readyz 503 with the engine's status line, and the password never shows in the output or the answers.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { createTempHome, type TempHome } from "../../support/temp-home";

const MAIN = join(import.meta.dir, "../../../src/main.ts");
const PASSWORD = "Sekret-Serve-9";

/** A loopback port with nothing listening: connecting is refused at once. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const exited = (child: ChildProcess) => new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

describe("serve", () => {
  let t: TempHome;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      const done = exited(child);
      child.kill("SIGTERM");
      await done;
    }
    await t.cleanup();
  });

  describe("when SQL Server refuses connections at start", () => {
    it("serves /healthz, says why it is not ready on /readyz, and stops cleanly", async () => {
      t = await createTempHome("databus-serve-");
      const sqlPort = await refusingPort();
      const url = `mssql://sa:${PASSWORD}@127.0.0.1:${sqlPort}/databus`;
      child = spawn(process.execPath, [MAIN, "serve", "--home", t.home, "--port", "0", "--engine", "mssql", "--mssql-url", url], { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout!.on("data", (c) => (output += c));
      child.stderr!.on("data", (c) => (output += c));
      const until = Date.now() + 30_000;
      let base: string | undefined;
      while (!(base = /the console answers at (http:\/\/\S+\/)/.exec(output)?.[1])) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`The console did not start:\n${output}`);
        await Bun.sleep(50);
      }
      expect(output).toContain(`Storage is not reachable yet (mssql connecting to 127.0.0.1:${sqlPort}/databus`);

      const health = await fetch(`${base}healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe("ok");

      const ready = await fetch(`${base}readyz`);
      expect(ready.status).toBe(503);
      const line = await ready.text();
      expect(line).toStartWith(`not ready: storage connecting to 127.0.0.1:${sqlPort}/databus, attempt `);
      expect(line).toContain("cannot be reached");
      expect(line).not.toContain(PASSWORD);

      const login = await fetch(`${base}login`);
      expect(login.status).toBe(200);

      const done = exited(child);
      child.kill("SIGTERM");
      expect(await done).toBe(0);
      expect(output).toContain("Stopped.");
      expect(output).not.toContain(PASSWORD);
    }, 60_000);
  });
});
