/**
 * The seed of a new home, embedded in the binary as text: the repo's data/ (demo and root clients)
 * and the example plugins. A home without data/ gets the clients; a new plugins/ gets the examples.
 */
import demoConfig from "../../data/clients/demo/config.json" with { type: "text" };
import rootConfig from "../../data/clients/root/config.json" with { type: "text" };
import exampleDeliveriesByDay from "../../plugins/examples/deliveries_by_day.ts" with { type: "text" };
import exampleDocument from "../../plugins/examples/document.ts" with { type: "text" };
import exampleFolderPuller from "../../plugins/examples/folder_puller.ts" with { type: "text" };
import exampleFolderPusher from "../../plugins/examples/folder_pusher.ts" with { type: "text" };
import exampleOrderInbox from "../../plugins/examples/order_inbox.ts" with { type: "text" };
import exampleOrderMail from "../../plugins/examples/order_mail.ts" with { type: "text" };
import exampleScan from "../../plugins/examples/scan.ts" with { type: "text" };
import exampleScanFolder from "../../plugins/examples/scan_folder.ts" with { type: "text" };
import exampleStampProcessor from "../../plugins/examples/stamp_processor.ts" with { type: "text" };

const text = (t: unknown): string => t as string;

export const SEED_CLIENTS: Readonly<Record<string, string>> = {
  demo: text(demoConfig),
  root: text(rootConfig),
};

/** Paths under plugins/ → content. */
export const SEED_PLUGINS: Readonly<Record<string, string>> = {
  "examples/deliveries_by_day.ts": text(exampleDeliveriesByDay),
  "examples/document.ts": text(exampleDocument),
  "examples/folder_puller.ts": text(exampleFolderPuller),
  "examples/folder_pusher.ts": text(exampleFolderPusher),
  "examples/order_inbox.ts": text(exampleOrderInbox),
  "examples/order_mail.ts": text(exampleOrderMail),
  "examples/scan.ts": text(exampleScan),
  "examples/scan_folder.ts": text(exampleScanFolder),
  "examples/stamp_processor.ts": text(exampleStampProcessor),
};
