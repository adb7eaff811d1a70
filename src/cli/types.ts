/**
 * `databus types`: writes the SDK typings and a tsconfig into `<home>/plugins/` so editors and
 * `tsc -p plugins` type-check plugins. Both files are embedded in the binary as text.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
// Text imports: `bun build --compile` embeds the files, so the binary needs no checkout.
// @ts-expect-error tsc resolves the path to the ambient declarations themselves; Bun reads the file as text.
import SDK_TYPES from "../../plugins/types/databus.d.ts" with { type: "text" };
import PLUGINS_TSCONFIG from "../../plugins/tsconfig.json" with { type: "text" };

/** Writes `plugins/types/databus.d.ts` and `plugins/tsconfig.json` under the home; returns their paths. */
export async function writeTypes(home: string): Promise<string[]> {
  const files: [string, string][] = [
    [join(home, "plugins", "types", "databus.d.ts"), SDK_TYPES as unknown as string],
    [join(home, "plugins", "tsconfig.json"), PLUGINS_TSCONFIG as unknown as string],
  ];
  for (const [path, text] of files) await writeAtomically(path, text);
  return files.map(([path]) => path);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}
