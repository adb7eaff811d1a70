/**
 * The seed of a new home: the repo's data/ (demo and root clients), embedded in the binary as text.
 * A home without data/ gets these files on first start.
 */
import demoConfig from "../../data/clients/demo/config.json" with { type: "text" };
import rootConfig from "../../data/clients/root/config.json" with { type: "text" };

export const SEED_CLIENTS: Readonly<Record<string, string>> = {
  demo: demoConfig as unknown as string,
  root: rootConfig as unknown as string,
};
