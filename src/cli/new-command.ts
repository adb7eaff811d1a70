/** `databus new <kind> <name>`: argument checks around scaffold() (cli/new.ts). */
import { DatabusError } from "../core/errors";
import type { CommandContext } from "./context";
import { scaffold } from "./new";
import { EXIT_OK } from "./report";

const KINDS = ["puller", "processor", "pusher", "passenger"] as const;
type Kind = (typeof KINDS)[number];

export async function newCommand(ctx: CommandContext): Promise<number> {
  const [kind, name] = ctx.args.positional;
  if (!KINDS.includes(kind as Kind) || !name)
    throw new DatabusError("DBUS_SET_USAGE", { problem: `Use: databus new ${KINDS.join("|")} <name>, e.g. databus new puller acme/invoice_puller` });
  const file = await scaffold(ctx.settings.home, kind as Kind, name);
  ctx.out(`Wrote ${file}. Run \`databus types\` once so your editor and \`tsc -p plugins\` know the "databus" module.`);
  return EXIT_OK;
}
