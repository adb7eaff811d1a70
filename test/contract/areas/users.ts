/** Contract area: users live in the config; plain passwords are hashed and never rest on disk. */
import { expect } from "bun:test";
import type { ContractContext } from "../database.contract";
import { CLIENT, OTHER, clientConfig } from "../builders";

const hashOf = async (pw: string) => Bun.password.hash(pw, { algorithm: "argon2id" });

export function users(t: ContractContext): void {
  t.area("users", () => {
    t.it("has no users when the config names none", async () => {
      expect(await t.db().listUsers(CLIENT)).toEqual([]);
    });

    t.it("hashes a plain password given to createClient and stores the text without it", async () => {
      await t.db().createClient(OTHER, clientConfig({ users: [{ username: "ann", role: "administrator", password: "s3cret-pw" }] }));
      const text = await t.db().readConfig(OTHER);
      expect(text).not.toContain("s3cret-pw");
      expect(JSON.parse(text).passengers).toHaveLength(1);
      const [ann] = await t.db().listUsers(OTHER);
      expect(ann?.username).toBe("ann");
      expect(ann?.role).toBe("administrator");
      expect(await Bun.password.verify("s3cret-pw", ann!.password_hash)).toBe(true);
    });

    t.it("hashes a plain password given to writeConfig", async () => {
      await t.db().writeConfig(CLIENT, clientConfig({ users: [{ username: "bob", role: "operator", password: "hunter2-x" }] }));
      expect(await t.db().readConfig(CLIENT)).not.toContain("hunter2-x");
      for (const b of await t.db().listConfigBackups(CLIENT))
        expect(await t.db().readConfigBackup(CLIENT, b.id)).not.toContain("hunter2-x");
      const [bob] = await t.db().listUsers(CLIENT);
      expect(await Bun.password.verify("hunter2-x", bob!.password_hash)).toBe(true);
    });

    t.it("adds, replaces and deletes users and keeps the rest of the config", async () => {
      const h1 = await hashOf("one");
      const h2 = await hashOf("two");
      await t.db().putUser(CLIENT, { username: "cy", role: "operator", password_hash: h1 });
      await t.db().putUser(CLIENT, { username: "di", role: "administrator", password_hash: h1 });
      await t.db().putUser(CLIENT, { username: "cy", role: "administrator", password_hash: h2 });
      const listed = await t.db().listUsers(CLIENT);
      expect(listed).toEqual([
        { username: "cy", role: "administrator", password_hash: h2 },
        { username: "di", role: "administrator", password_hash: h1 },
      ]);
      await t.db().deleteUser(CLIENT, "cy");
      expect((await t.db().listUsers(CLIENT)).map((u) => u.username)).toEqual(["di"]);
      const config = JSON.parse(await t.db().readConfig(CLIENT));
      expect(config.log_life_span).toBe(30);
      expect(config.passengers).toHaveLength(1);
    });
  });
}
