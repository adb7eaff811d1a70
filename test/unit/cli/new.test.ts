import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { classNameOf, scaffold, type ScaffoldKind } from "../../../src/cli/new";
import { writeTypes } from "../../../src/cli/types";
import { isDatabusError } from "../../../src/core/errors";
import { loadPlugins } from "../../../src/plugins/load";

const REPO = join(import.meta.dir, "../../..");
const KINDS: ScaffoldKind[] = ["passenger", "puller", "processor", "pusher"];

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("scaffold", () => {
  let home: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "databus-new-"));
    for (const kind of KINDS) files[kind] = await scaffold(home, kind, `acme/new_${kind}`);
  });

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  describe("when a plugin of each kind is scaffolded", () => {
    it("writes plugins/<name>.ts with a class named after the file", async () => {
      expect(files.puller).toBe(join(home, "plugins/acme/new_puller.ts"));
      expect(await readFile(files.puller!, "utf8")).toContain("export default class NewPuller extends Puller");
    });

    it("writes files that load as plugins of that kind", async () => {
      const registry = await loadPlugins(home);
      for (const kind of KINDS) expect(registry.get(`acme/new_${kind}`)).toMatchObject({ status: "loaded", kind });
    });

    it("writes files that type-check against the generated databus.d.ts", async () => {
      await writeTypes(home);
      // Stands in for `npm install @types/bun` in the user's plugins/ folder.
      await symlink(join(REPO, "node_modules"), join(home, "plugins/node_modules"), "dir");
      const proc = Bun.spawn([join(REPO, "node_modules/.bin/tsc"), "-p", join(home, "plugins"), "--pretty", "false"], { stdout: "pipe" });
      expect(await new Response(proc.stdout).text()).toBe("");
      expect(await proc.exited).toBe(0);
    }, 60_000);
  });

  describe("when the file already exists", () => {
    it("refuses with DBUS_PLG_SCAFFOLD_EXISTS and leaves the file alone", async () => {
      const before = await readFile(files.pusher!, "utf8");
      const e = await errorOf(scaffold(home, "processor", "acme/new_pusher"));
      expect(isDatabusError(e, "DBUS_PLG_SCAFFOLD_EXISTS")).toBe(true);
      expect(await readFile(files.pusher!, "utf8")).toBe(before);
    });
  });

  describe("when the name is not a valid plugin name", () => {
    it.each(["../escape", "acme/../x", "with space", "", "a//b"])("rejects %p", async (name) => {
      expect(isDatabusError(await errorOf(scaffold(home, "puller", name)), "DBUS_SET_USAGE")).toBe(true);
    });

    it("rejects the reserved databus/ prefix", async () => {
      expect(isDatabusError(await errorOf(scaffold(home, "puller", "databus/mine")), "DBUS_PLG_RESERVED_NAME")).toBe(true);
    });
  });
});

describe("classNameOf", () => {
  describe("when given plugin names", () => {
    it("makes a PascalCase class name from the last segment", () => {
      expect(classNameOf("acme/invoice_puller")).toBe("InvoicePuller");
      expect(classNameOf("mail-to-crm")).toBe("MailToCrm");
      expect(classNameOf("x/2fa_check")).toBe("Plugin2faCheck");
    });
  });
});
