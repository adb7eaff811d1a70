/** `databus hash-password`: reads a password from stdin and prints its argon2id hash for a config. */
import type { CommandContext } from "./context";
import { EXIT_OK, EXIT_USAGE } from "./report";

export async function hashPasswordCommand(ctx: CommandContext): Promise<number> {
  if (process.stdin.isTTY) ctx.err("Type the password and press Enter (it is not stored anywhere):");
  const line = await readLine();
  if (!line) {
    ctx.err("No password was given on standard input.");
    return EXIT_USAGE;
  }
  ctx.out(await Bun.password.hash(line, { algorithm: "argon2id" }));
  return EXIT_OK;
}

async function readLine(): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  const reader = Bun.stdin.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (text.includes("\n")) break;
  }
  reader.releaseLock();
  return text.split(/\r?\n/)[0] ?? "";
}
