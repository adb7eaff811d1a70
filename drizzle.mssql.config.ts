/** drizzle-kit config for the SQL Server engine: `npx drizzle-kit generate --config drizzle.mssql.config.ts`. */
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "mssql",
  schema: "./src/storage/mssql/schema.ts",
  out: "./src/storage/mssql/migrations",
});
