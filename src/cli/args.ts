/** Splits argv into a command, its positional arguments and `--flag value` / `--flag=value` pairs. */
import { DatabusError } from "../core/errors";

export interface ParsedArgs {
  command: string | undefined;
  positional: string[];
  flags: Record<string, string>;
}

/** Flags that take no value. */
const SWITCHES = new Set(["help", "version", "all-failed"]);

export function parseArgs(argv: string[]): ParsedArgs {
  const out: ParsedArgs = { command: undefined, positional: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) out.flags[name] = a.slice(eq + 1);
      else if (SWITCHES.has(name)) out.flags[name] = "true";
      else {
        const value = argv[++i];
        if (value === undefined) throw new DatabusError("DBUS_SET_USAGE", { problem: `The flag --${name} needs a value` });
        out.flags[name] = value;
      }
    } else if (a === "-h") out.flags.help = "true";
    else if (a === "-v") out.flags.version = "true";
    else if (out.command === undefined) out.command = a;
    else out.positional.push(a);
  }
  return out;
}
