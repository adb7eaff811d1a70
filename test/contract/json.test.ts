/** Runs the Database contract against the json engine on a temp folder; it may skip nothing. */
import { createJsonDatabase } from "../../src/storage/json";
import { createTempHome } from "../support/temp-home";
import { runDatabaseContract } from "./database.contract";

runDatabaseContract({
  name: "json",
  create: async () => {
    const home = await createTempHome("databus-contract-");
    let db = createJsonDatabase(home.dataDir);
    await db.open();
    return {
      db,
      reopen: async () => {
        await db.close();
        db = createJsonDatabase(home.dataDir);
        await db.open();
        return db;
      },
      cleanup: async () => {
        await db.close();
        await home.cleanup();
      },
    };
  },
});
