/**
 * `serve --log-format json` as a real process: every line it writes on stdout is one JSON object
 * (startup, runs, a plugin's console.log, shutdown), nothing goes to stderr, and no secret shows.
 */
import { afterEach, describe, expect, it } from "bun:test";
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTempHome, type TempHome } from "../../support/temp-home";

const MAIN = join(import.meta.dir, "../../../src/main.ts");
const FIXTURES = join(import.meta.dir, "../../fixtures/plugins");
const MSSQL_URL = "Server=db.example;User Id=sa;Password=Very$ecret1;Database=databus";
const TOKEN = "metrics-token-xyz";

describe("serve --log-format json", () => {
  let t: TempHome;
  afterEach(() => t.cleanup());

  it("writes only JSON lines on stdout, with fields for runs, and no secrets", async () => {
    t = await createTempHome("databus-jsonlog-");
    mkdirSync(join(t.home, "plugins/f"), { recursive: true });
    for (const f of ["passenger-plain.ts", "pusher-throws.ts"]) copyFileSync(join(FIXTURES, f), join(t.home, "plugins/f", f));
    // A plugin that prints, as plugins do: its line must come out as JSON too.
    writeFileSync(
      join(t.home, "plugins/f/chatty-puller.ts"),
      `import { Puller } from "databus";\nimport P from "./passenger-plain";\nexport default class Chatty extends Puller<P> {\n  pull() {\n    console.log("chatty puller: pulling now");\n    return [new P({ external_id: "one", payload: {} })];\n  }\n}\n`,
    );
    mkdirSync(join(t.dataDir, "clients/acme"), { recursive: true });
    writeFileSync(
      join(t.dataDir, "clients/acme/config.json"),
      JSON.stringify({ passengers: [{ name: "f/passenger-plain", pullers: ["f/chatty-puller"], pushers: ["f/pusher-throws"], sync_frequency: "1h" }] }),
    );
    const child = spawn(process.execPath, [MAIN, "serve", "--log-format", "json", "--home", t.home, "--port", "0", "--tick", "1s", "--metrics-token", TOKEN], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DATABUS_MSSQL_URL: MSSQL_URL },
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c) => (stdout += c));
    child.stderr!.on("data", (c) => (stderr += c));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const until = Date.now() + 30_000;
    while (!stdout.includes('"definition":"f/passenger-plain"')) {
      if (Date.now() > until) throw new Error(`no run line:\n${stdout}\n${stderr}`);
      await Bun.sleep(50);
    }
    child.kill("SIGTERM");
    expect(await exited).toBe(0);

    const lines = stdout.split("\n").filter((l) => l !== "");
    const records = lines.map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${l}`);
      }
    });
    expect(stderr).toBe("");
    for (const r of records) {
      expect(typeof r.time).toBe("string");
      expect(Number.isNaN(Date.parse(r.time as string))).toBe(false);
      expect(["info", "warning", "error"]).toContain(r.level as string);
      expect(typeof r.msg).toBe("string");
    }
    expect(records.some((r) => String(r.msg).startsWith("Databus ") && String(r.msg).includes("is running at"))).toBe(true);
    expect(records).toContainEqual(expect.objectContaining({ level: "info", msg: "chatty puller: pulling now" }));
    const run = records.find((r) => r.definition === "f/passenger-plain")!;
    expect(run).toMatchObject({ level: "error", client: "acme", outcome: "error", pulled: 1, failed: 1 });
    expect(typeof run.run).toBe("string");
    expect(records.at(-1)).toMatchObject({ level: "info", msg: "Stopped." });
    expect(stdout).not.toContain("Very$ecret1");
    expect(stdout).not.toContain(TOKEN);
  }, 60_000);
});
