import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../../src/cli/index";
import { createTempHome, type TempHome } from "../../support/temp-home";

const GOOD = JSON.stringify({
  passengers: [{ name: "databus/demo/passenger_1", pullers: ["databus/demo/puller_1"], pushers: ["databus/demo/pusher_1"] }],
});

async function check(home: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await run(["check", "--home", home], (l) => lines.push(l), (l) => lines.push(l));
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

  describe("when the command is unknown", () => {
    it("exits 2 and says so", async () => {
      const lines: string[] = [];
      expect(await run(["frobnicate"], (l) => lines.push(l), (l) => lines.push(l))).toBe(2);
      expect(lines[0]).toContain("DBUS_SET_USAGE There is no command frobnicate");
    });
  });
});
