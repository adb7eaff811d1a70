/**
 * Runs the Database contract against SQL Server when MSSQL_URL is set (e.g.
 * `MSSQL_URL='mssql://sa:…@127.0.0.1:1433/databus_test?encrypt=false' npx bun test test/contract/mssql.test.ts`).
 * Each test starts from an empty database: every client is deleted first. CI never reaches a SQL Server,
 * so there the file reports one named skip, visible in the summary, instead of passing silently.
 */
import { describe, it } from "bun:test";
import { createMssqlDatabase } from "../../src/storage/mssql";
import { runDatabaseContract } from "./database.contract";

const url = process.env.MSSQL_URL;

async function openEmpty() {
  const db = createMssqlDatabase(url ?? "", { retry: { maxAttempts: 1 } });
  await db.open();
  for (const client of await db.listClients()) await db.deleteClient(client);
  return db;
}

if (url) {
  runDatabaseContract({
    name: "mssql",
    create: async () => {
      let db = await openEmpty();
      return {
        db,
        reopen: async () => {
          await db.close();
          db = createMssqlDatabase(url, { retry: { maxAttempts: 1 } });
          await db.open();
          return db;
        },
        cleanup: () => db.close(),
      };
    },
  });
} else {
  const reason = "MSSQL_URL is not set; SQL Server cannot run here, so the mssql engine is proven by golden SQL and loopback tests";
  console.log(`[contract mssql] NOT RUN: ${reason}.`);
  describe("Database contract (mssql)", () => {
    it.skip(`NOT RUN: ${reason}`, () => undefined);
  });
}
