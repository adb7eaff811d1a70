/**
 * The seed of a new home, embedded in the binary as text: the repo's data/ (demo and root clients)
 * and the example plugins. A home without data/ gets the clients; a new plugins/ gets the examples.
 */
import demoConfig from "../../data/clients/demo/config.json" with { type: "text" };
import rootConfig from "../../data/clients/root/config.json" with { type: "text" };
import exampleDocument from "../../plugins/examples/document.ts" with { type: "text" };
import exampleFolderPuller from "../../plugins/examples/folder_puller.ts" with { type: "text" };
import exampleFolderPusher from "../../plugins/examples/folder_pusher.ts" with { type: "text" };
import exampleStampProcessor from "../../plugins/examples/stamp_processor.ts" with { type: "text" };

const text = (t: unknown): string => t as string;

export const SEED_CLIENTS: Readonly<Record<string, string>> = {
  demo: text(demoConfig),
  root: text(rootConfig),
};

/** Paths under plugins/ → content. */
export const SEED_PLUGINS: Readonly<Record<string, string>> = {
  "examples/document.ts": text(exampleDocument),
  "examples/folder_puller.ts": text(exampleFolderPuller),
  "examples/folder_pusher.ts": text(exampleFolderPusher),
  "examples/stamp_processor.ts": text(exampleStampProcessor),
};
