/**
 * Runs a small script as a user without privileges, so permission tests mean something when the
 * tests run as root (root reads any folder): as root it drops to `nobody` with setpriv; otherwise
 * the current user already lacks the rights a chmod takes away.
 */
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface ScriptResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Writes `code` to `<dir>/probe.ts` (dir is made readable to everyone) and runs it with this bun. */
export async function runAsNobody(dir: string, code: string): Promise<ScriptResult> {
  const file = join(dir, "probe.ts");
  await writeFile(file, code);
  await chmod(dir, 0o755);
  await chmod(file, 0o644);
  const asRoot = process.getuid?.() === 0;
  const cmd = asRoot ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, file] : [process.execPath, file];
  const proc = Bun.spawn(cmd, { cwd: dir, stdout: "pipe", stderr: "pipe", env: { ...process.env, HOME: dir } });
  const [stdout, stderr, exitCode] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { exitCode, stdout, stderr };
}
