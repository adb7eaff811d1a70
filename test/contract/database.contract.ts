/**
 * The Database contract suite: every engine runs it through a ten-line file. Written against the
 * SDK's `Database` type only, so a custom engine plugin can run it too. Skips carry a reason, printed.
 */
import { afterEach, beforeEach, describe, it } from "bun:test";
import type { Database } from "../../src/sdk/database";
import { clientsAndConfigs } from "./areas/clients";
import { durability } from "./areas/durability";
import { leases } from "./areas/leases";
import { listingAndPaging } from "./areas/listing";
import { logs } from "./areas/logs";
import { pluginState } from "./areas/plugin-state";
import { purgeByAge } from "./areas/purge";
import { seatAndDedupe } from "./areas/seat";
import { stepBatches } from "./areas/step-batches";
import { stepStatus } from "./areas/steps";
import { users } from "./areas/users";
import { CLIENT, clientConfig } from "./builders";

export interface ContractHarness {
  /** An open database on empty storage. */
  db: Database;
  /** Closes the current database (if still open) and removes its storage. */
  cleanup(): Promise<void>;
  /** Closes the current database and opens a new one on the same storage. */
  reopen?(): Promise<Database>;
}

export interface ContractOptions {
  name: string;
  create: () => Promise<ContractHarness>;
  /** Tests (by `it` title, or a whole area by its name) this engine cannot run, each with why. */
  skip?: Array<{ tests: string[]; reason: string }>;
}

/** What each area sees: the current database, reopen, and an `it`/`area` that honour skips. */
export interface ContractContext {
  db(): Database;
  reopen(): Promise<Database>;
  area(name: string, body: () => void): void;
  it(title: string, fn: () => Promise<void>): void;
}

export function runDatabaseContract(options: ContractOptions): void {
  let harness: ContractHarness | undefined;
  let current: Database | undefined;
  let areaName = "";
  const skipped = new Map<string, string>();
  for (const s of options.skip ?? []) for (const t of s.tests) skipped.set(t, s.reason);
  const announced = new Set<string>();

  const t: ContractContext = {
    db: () => {
      if (!current) throw new Error("the contract harness has no open database");
      return current;
    },
    reopen: async () => {
      if (!harness?.reopen) throw new Error(`engine ${options.name} gives no reopen(); skip the durability tests with a reason`);
      current = await harness.reopen();
      return current;
    },
    area: (name, body) => {
      areaName = name;
      describe(name, body);
    },
    it: (title, fn) => {
      const reason = skipped.get(title) ?? skipped.get(areaName);
      if (reason === undefined) return void it(title, fn);
      const key = `${areaName}: ${title}`;
      if (!announced.has(key)) console.log(`[contract ${options.name}] skipped "${key}": ${reason}`);
      announced.add(key);
      it.skip(title, fn);
    },
  };

  describe(`Database contract (${options.name})`, () => {
    beforeEach(async () => {
      harness = await options.create();
      current = harness.db;
      await current.createClient(CLIENT, clientConfig());
    });
    afterEach(async () => {
      await harness?.cleanup();
      harness = undefined;
      current = undefined;
    });

    clientsAndConfigs(t);
    users(t);
    seatAndDedupe(t);
    stepStatus(t);
    stepBatches(t);
    listingAndPaging(t);
    purgeByAge(t);
    logs(t);
    pluginState(t);
    leases(t);
    durability(t);
  });
}
