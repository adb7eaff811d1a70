/** What every command gets: parsed arguments, settings, and where to write. */
import type { Settings } from "../settings/schema";
import type { ParsedArgs } from "./args";
import type { ServerLog } from "./server-log";

export interface CommandContext {
  args: ParsedArgs;
  settings: Settings;
  out: (line: string) => void;
  err: (line: string) => void;
  /** The server's log (`serve` only): `out`/`err` write through it; use it for lines with fields. */
  log?: ServerLog;
}

export type Command = (ctx: CommandContext) => Promise<number>;
