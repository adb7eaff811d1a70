/** What every command gets: parsed arguments, settings, and where to write. */
import type { Settings } from "../settings/schema";
import type { ParsedArgs } from "./args";

export interface CommandContext {
  args: ParsedArgs;
  settings: Settings;
  out: (line: string) => void;
  err: (line: string) => void;
}

export type Command = (ctx: CommandContext) => Promise<number>;
