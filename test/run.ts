/**
 * `npm test`: runs every bun test file, then the static checks (type check, XSS scan), and ends
 * with the one line CI reads: `N passed, N failed`. Exits non-zero on any failure.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

interface Outcome {
  passed: number;
  failed: number;
  /** Tests that did not run, each with its reason printed above (only the SQL Server contract, without MSSQL_URL). */
  skipped?: number;
}

/** Runs a command, echoing its output, and returns the exit code and everything it printed. */
function runStreaming(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
    let output = "";
    const take = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on("data", take(process.stdout));
    child.stderr.on("data", take(process.stderr));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

async function bunTests(extra: string[]): Promise<Outcome> {
  const { code, output } = await runStreaming(process.execPath, ["test", ...extra]);
  const count = (word: string) => sumMatches(output, word);
  const outcome = { passed: count("pass"), failed: count("fail"), skipped: count("skip") };
  // A crash or an error outside any test still fails the run, even when no test reported "fail".
  if (code !== 0 && outcome.failed === 0) outcome.failed = 1;
  return outcome;
}

function sumMatches(output: string, word: string): number {
  let total = 0;
  for (const m of output.matchAll(new RegExp(`^\\s*(\\d+) ${word}$`, "gm"))) total += Number(m[1]);
  return total;
}

async function check(name: string, cmd: string, args: string[]): Promise<Outcome> {
  console.log(`\n── ${name}: ${cmd} ${args.join(" ")}`);
  const { code } = await runStreaming(cmd, args);
  console.log(code === 0 ? `(pass) ${name}` : `(fail) ${name} exited with ${code}`);
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

/**
 * The browser tests drive Debian's chromium. On a fresh machine (root, apt-get, as CI is) install
 * it; elsewhere say how, and let the browser tests fail loudly rather than skip.
 */
function ensureChromium(): void {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (existsSync(path)) return;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    console.log(`Browser tests need chromium at ${path}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
    return;
  }
  aptInstall(["chromium"], "the browser tests");
}

function aptInstall(packages: string[], forWhat: string): void {
  console.log(`Installing Debian's ${packages.join(", ")} for ${forWhat} (apt-get) …`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", ...packages]]) {
    const r = spawnSync("apt-get", args, { stdio: "inherit", env });
    if (r.status !== 0) console.log(`apt-get ${args.join(" ")} failed (exit ${r.status}); ${forWhat} will fail.`);
  }
}

/** The mail driver tests start Dovecot and Postfix's smtp-sink on loopback; installed like chromium. */
function ensureMailServers(): void {
  if (existsSync("/usr/sbin/dovecot") && existsSync("/usr/sbin/smtp-sink")) return;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    console.log("Mail driver tests need Dovecot and smtp-sink: install Debian's dovecot-imapd and postfix (apt-get install dovecot-imapd postfix).");
    return;
  }
  aptInstall(["dovecot-imapd", "postfix"], "the mail driver tests");
}

ensureChromium();
ensureMailServers();
const bin = (name: string) => `node_modules/.bin/${name}`;
const results: Outcome[] = [
  await bunTests(process.argv.slice(2)),
  await check("type check", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]),
  await check("type check of the example plugins", bin("tsc"), ["--noEmit", "-p", "plugins"]),
  await check("XSS scan of the web views", bin("xss-scan"), ["--project", "tsconfig.json"]),
];
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const skipped = results.reduce((n, r) => n + (r.skipped ?? 0), 0);
console.log(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 ? 0 : 1);
