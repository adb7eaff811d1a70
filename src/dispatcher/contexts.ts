/** Builds the context each plugin call receives: its log, options, files, state and signal — nothing else. */
import type { DriverRef } from "../core/client";
import type { StepContext } from "../sdk/context";
import type { Database } from "../storage/database";
import type { RunLog } from "./run-log";

export interface ContextSource {
  db: Database;
  client: string;
  definition: string;
  home: string;
  log: RunLog;
}

export function createStepContext(src: ContextSource, ref: DriverRef, signal: AbortSignal): StepContext {
  const { db, client, log } = src;
  const driver = ref.name;
  return {
    client,
    definition: src.definition,
    driver,
    options: ref.options,
    home: src.home,
    signal,
    log: {
      info: (m) => log.info(driver, String(m)),
      warning: (m) => log.warning(driver, String(m)),
      error: (m) => log.error(driver, String(m)),
    },
    files: {
      list: () => db.listClientFiles(client),
      read: async (name) => {
        const text = await db.readClientFile(client, name);
        if (text === undefined) throw new Error(`client ${client} has no file ${name}`);
        return text;
      },
      readJson: async (name) => {
        const text = await db.readClientFile(client, name);
        if (text === undefined) throw new Error(`client ${client} has no file ${name}`);
        return JSON.parse(text);
      },
    },
    state: {
      get: async <T>(key: string) => (await db.getState(client, driver, key)) as T | undefined,
      set: (key, value) => db.setState(client, driver, key, value),
      delete: (key) => db.setState(client, driver, key, undefined),
    },
  };
}
