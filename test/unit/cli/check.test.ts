import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { Database as BunDatabase } from "bun:sqlite";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { run } from "../../../src/cli/index";
import { MIGRATIONS } from "../../../src/storage/sqlite/migrate";
import { createSqliteDatabase } from "../../../src/storage/sqlite/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

const GOOD = JSON.stringify({
  passengers: [{ name: "databus/demo/passenger_1", pullers: ["databus/demo/puller_1"], pushers: ["databus/demo/pusher_1"] }],
});

async function check(home: string, ...flags: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await run(["check", "--home", home, ...flags], (l) => lines.push(l), (l) => lines.push(l));
  return { code, lines };
}

function writeClient(home: string, client: string, text: string): void {
  mkdirSync(join(home, "data/clients", client), { recursive: true });
  writeFileSync(join(home, "data/clients", client, "config.json"), text);
}

describe("databus check", () => {
  let t: TempHome;
  beforeEach(async () => (t = await createTempHome("databus-check-")));
  afterEach(() => t.cleanup());

  describe("when every config and plugin is sound", () => {
    it("exits 0 with a summary", async () => {
      writeClient(t.home, "acme", GOOD);
      const { code, lines } = await check(t.home);
      expect(lines.at(-1)).toMatch(/^OK: 1 clients, 1 passenger definitions/);
      expect(code).toBe(0);
    });
  });

  describe("when there are problems", () => {
    it("prints one line per problem with file, line and code, and exits 1", async () => {
      writeClient(t.home, "acme", GOOD);
      writeClient(t.home, "broken_json", '{\n  "passengers": [,\n}');
      writeClient(t.home, "typo", JSON.stringify({ passengers: [{ name: "databus/demo/passenger_1", pullers: ["databus/demo/puller_9"] }] }));
      mkdirSync(join(t.home, "plugins"), { recursive: true });
      writeFileSync(join(t.home, "plugins/bad.ts"), "export default class {\n  oops(: {\n");
      const { code, lines } = await check(t.home);
      expect(code).toBe(1);
      expect(lines).toContainEqual(expect.stringMatching(/^data\/clients\/broken_json\/config\.json:2: DBUS_CFG_INVALID_JSON .*line 2, column 18/));
      expect(lines).toContainEqual(expect.stringMatching(/^data\/clients\/typo\/config\.json: DBUS_CFG_UNKNOWN_DRIVER .*databus\/demo\/puller_9/));
      expect(lines).toContainEqual(expect.stringMatching(/^plugins\/bad\.ts:2: DBUS_PLG_LOAD_FAILED/));
      expect(lines.at(-1)).toBe("3 problems found.");
    });
  });

  describe("when it reports the storage engine (#5)", () => {
    const LATEST = MIGRATIONS.at(-1)!.name;
    const sqliteFile = () => join(t.home, "data", "databus.sqlite");
    /** A sqlite store as a start leaves it: every migration applied, one client. */
    const createSqliteStore = async () => {
      const db = createSqliteDatabase(sqliteFile());
      await db.open();
      await db.createClient("acme", GOOD);
      await db.close();
    };

    it("names the json folder and says it is readable", async () => {
      writeClient(t.home, "acme", GOOD);
      const { code, lines } = await check(t.home);
      expect(lines).toContain(`storage: json ${join(t.home, "data")} — folder and journal readable`);
      expect(code).toBe(0);
    });

    it("names the sqlite file and the latest migration it is at", async () => {
      await createSqliteStore();
      const { code, lines } = await check(t.home, "--engine", "sqlite");
      expect(lines).toContain(`storage: sqlite ${sqliteFile()} — reachable, schema at migration ${LATEST} (latest)`);
      expect(lines.at(-1)).toMatch(/^OK: 1 clients, 1 passenger definitions/);
      expect(code).toBe(0);
    });

    it("reports pending migrations of a sqlite file as a problem", async () => {
      await createSqliteStore();
      const raw = new BunDatabase(sqliteFile());
      raw.run("DELETE FROM __drizzle_migrations WHERE name = ?", [LATEST]);
      raw.close();
      const { code, lines } = await check(t.home, "--engine", "sqlite");
      expect(code).toBe(1);
      expect(lines).toContain(
        `storage sqlite ${sqliteFile()}: DBUS_STO_MIGRATIONS_PENDING The database is 1 migration behind this Databus (it is at ${MIGRATIONS.at(-2)!.name}; the latest is ${LATEST}). — Start Databus (\`databus serve\`): it applies pending migrations at start, in one transaction.`,
      );
    });

    it("says a new sqlite home has no file yet, without a problem", async () => {
      const { code, lines } = await check(t.home, "--engine", "sqlite");
      expect(lines).toContain(`storage: sqlite ${sqliteFile()} — no database file yet; the first start creates it`);
      expect(code).toBe(0);
    });

    it("reports an SQL Server that refuses connections, without the password", async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const { code, lines } = await check(t.home, "--engine", "mssql", "--mssql-url", `mssql://sa:Check-Secret-7@127.0.0.1:${port}/databus`);
      expect(code).toBe(1);
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^storage mssql 127\\.0\\.0\\.1:${port}/databus: DBUS_STO_UNREACHABLE The SQL Server at 127\\.0\\.0\\.1:${port}/databus cannot be reached`)));
      expect(lines.join("\n")).not.toContain("Check-Secret-7");
      expect(lines.at(-1)).toBe("1 problem found.");
    });
  });

  describe("when the command is unknown", () => {
    it("exits 2 and says so", async () => {
      const lines: string[] = [];
      expect(await run(["frobnicate"], (l) => lines.push(l), (l) => lines.push(l))).toBe(2);
      expect(lines[0]).toContain("DBUS_SET_USAGE There is no command frobnicate");
    });
  });
});
