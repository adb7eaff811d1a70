/** `databus types`: writes the SDK typings and a tsconfig into plugins/ (cli/types.ts does the work). */
import type { CommandContext } from "./context";
import { EXIT_OK } from "./report";
import { writeTypes } from "./types";

export async function typesCommand(ctx: CommandContext): Promise<number> {
  for (const file of await writeTypes(ctx.settings.home)) ctx.out(`Wrote ${file}`);
  ctx.out("Check your plugins with: npx tsc -p plugins");
  return EXIT_OK;
}
